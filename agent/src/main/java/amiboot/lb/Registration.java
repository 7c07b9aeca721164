package amiboot.lb;

import amiboot.config.DurationText;
import amiboot.pipeline.AppFailedException;
import amiboot.pipeline.PollBudget;
import amiboot.pipeline.BootException;
import amiboot.pipeline.Sleeper;
import amiboot.pipeline.UnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Adds the instance to each of its load balancers and, if asked, waits until each says InService. */
public final class Registration {
  private final LoadBalancer loadBalancer;
  private final Clock clock;
  private final Sleeper sleeper;

  public Registration(LoadBalancer loadBalancer, Clock clock, Sleeper sleeper) {
    this.loadBalancer = loadBalancer;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /**
   * Registers with every load balancer; returns a one-line summary. All or nothing: when one
   * fails (a missing name, never InService), the registrations already made are undone, so an
   * instance that failed its boot serves no traffic.
   */
  public String register(List<String> names, String instanceId, boolean waitInService, Duration timeout)
      throws BootException {
    List<String> registered = new ArrayList<>();
    try {
      for (String name : names) {
        loadBalancer.register(name, instanceId);
        registered.add(name);
      }
      if (waitInService) {
        PollBudget budget = new PollBudget(clock, sleeper, timeout, Duration.ofSeconds(1), Duration.ofSeconds(10));
        for (String name : names) {
          awaitInService(name, instanceId, budget, timeout);
        }
      }
    } catch (UnavailableException e) {
      throw new UnavailableException(e.getMessage() + undo(registered, instanceId), e);
    } catch (AppFailedException e) {
      throw new AppFailedException(e.getMessage() + undo(registered, instanceId), e);
    }
    return instanceId + " registered with " + String.join(", ", names) + (waitInService ? ", InService" : "");
  }

  /**
   * Deregisters from every load balancer; returns a one-line summary. All or nothing: when one
   * fails, the instance is registered again with those it already left, so that it keeps serving
   * (a redeploy that cannot take it out of service must not stop its processes).
   */
  public String deregister(List<String> names, String instanceId) throws BootException {
    List<String> left = new ArrayList<>();
    try {
      for (String name : names) {
        loadBalancer.deregister(name, instanceId);
        left.add(name);
      }
    } catch (UnavailableException e) {
      throw new UnavailableException(e.getMessage() + reRegister(left, instanceId), e);
    }
    return instanceId + " deregistered from " + String.join(", ", names);
  }

  private String reRegister(List<String> names, String instanceId) {
    for (String name : names) {
      try {
        loadBalancer.register(name, instanceId);
      } catch (BootException e) {
        return "; could not register again with " + name + ": " + e.getMessage();
      }
    }
    return names.isEmpty() ? "" : "; registered again with " + String.join(", ", names);
  }

  /** Deregisters from {@code names}, best effort; says what it did for the failure message. */
  private String undo(List<String> names, String instanceId) {
    List<String> undone = new ArrayList<>();
    for (String name : names) {
      try {
        loadBalancer.deregister(name, instanceId);
        undone.add(name);
      } catch (BootException e) {
        return "; could not deregister from " + name + ": " + e.getMessage();
      }
    }
    return undone.isEmpty() ? "" : "; deregistered from " + String.join(", ", undone);
  }

  private void awaitInService(String name, String instanceId, PollBudget budget, Duration timeout)
      throws BootException {
    try {
      while (true) {
        LoadBalancer.HealthState state = loadBalancer.state(name, instanceId);
        if (state.inService()) {
          return;
        }
        if (!budget.awaitNextAttempt()) {
          throw new AppFailedException(instanceId + " is registered with '" + name + "' but not InService after "
              + DurationText.format(timeout) + " (last: " + state.state() + ", " + state.description()
              + "): check the load balancer's health check against the app");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while waiting for '" + name + "' to report InService");
    }
  }
}
