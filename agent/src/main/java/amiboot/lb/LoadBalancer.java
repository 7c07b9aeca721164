package amiboot.lb;

import amiboot.pipeline.BootException;

/** A load balancer API, as amiboot uses it: membership of one instance. */
public interface LoadBalancer {
  void register(String loadBalancer, String instanceId) throws BootException;

  void deregister(String loadBalancer, String instanceId) throws BootException;

  /** The load balancer's view of the instance: InService, OutOfService, ... with its reason. */
  HealthState state(String loadBalancer, String instanceId) throws BootException;

  /** Health of one instance as the load balancer reports it. */
  record HealthState(String state, String description) {
    public boolean inService() {
      return "InService".equals(state);
    }
  }
}
