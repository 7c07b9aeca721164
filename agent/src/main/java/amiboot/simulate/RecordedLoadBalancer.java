package amiboot.simulate;

import amiboot.lb.LoadBalancer;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.Set;

/**
 * A load balancer that is not called: each registration is printed and remembered, and a
 * registered instance is InService at once. What simulate uses when no ELB endpoint is configured.
 */
final class RecordedLoadBalancer implements LoadBalancer {
  private final PrintStream out;
  private final Set<String> members = new HashSet<>();

  RecordedLoadBalancer(PrintStream out) {
    this.out = out;
  }

  @Override
  public synchronized void register(String loadBalancer, String instanceId) {
    members.add(loadBalancer + " " + instanceId);
    out.println("  (simulated) load balancer " + loadBalancer + ": RegisterInstancesWithLoadBalancer " + instanceId + ", not called");
  }

  @Override
  public synchronized void deregister(String loadBalancer, String instanceId) {
    members.remove(loadBalancer + " " + instanceId);
    out.println("  (simulated) load balancer " + loadBalancer + ": DeregisterInstancesFromLoadBalancer " + instanceId
        + ", not called");
  }

  @Override
  public synchronized HealthState state(String loadBalancer, String instanceId) {
    return members.contains(loadBalancer + " " + instanceId) ? new HealthState("InService", "simulated")
        : new HealthState("OutOfService", "simulated: not registered");
  }
}
