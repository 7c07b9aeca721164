package amiboot.boot;

import amiboot.hosts.HostsEntry;
import amiboot.hosts.HostsUpdate;
import amiboot.metadata.InstanceIdentity;
import amiboot.pipeline.BootException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;

/** Prints every change a boot would make, changing nothing. */
final class PlanPrinter {
  private final PrintStream out;

  PlanPrinter(PrintStream out) {
    this.out = out;
  }

  void print(Prepared prepared) {
    BootPlan plan = prepared.plan();
    InstanceIdentity id = plan.instance();
    out.println();
    out.println("plan for " + id.instanceId() + " (" + id.instanceType() + ", " + id.availabilityZone() + "), role "
        + plan.role() + "; nothing has been changed");
    hosts(plan);
    deploy(prepared);
    stop(prepared);
    start(prepared);
    health(plan);
    register(plan);
    prune(prepared);
  }

  private void hosts(BootPlan plan) {
    if (plan.hosts().isEmpty()) {
      line("hosts", "nothing to write (no hosts: entries)");
      return;
    }
    try {
      HostsUpdate.Change change = HostsUpdate.preview(plan.hostsFile(), plan.hosts());
      String entries = plan.hosts().stream().map(HostsEntry::render).collect(Collectors.joining(", "));
      line("hosts", change.changed() ? "write " + plan.hostsFile() + " (atomically) with " + entries
          : plan.hostsFile() + " already has " + entries + ": unchanged");
      if (change.changed()) {
        diff(change.before(), change.after());
      }
    } catch (BootException e) {
      line("hosts", "cannot read " + plan.hostsFile() + ": " + e.getMessage());
    }
  }

  private void diff(String before, String after) {
    List<String> old = List.of(before.split("\n"));
    List<String> now = List.of(after.split("\n"));
    old.stream().filter(l -> !l.isEmpty() && !now.contains(l)).forEach(l -> more("- " + l));
    now.stream().filter(l -> !old.contains(l)).forEach(l -> more("+ " + l));
  }

  private void deploy(Prepared prepared) {
    BootPlan plan = prepared.plan();
    String revision = prepared.upstream().map(r -> "now at " + r.id() + " (" + r.source() + ")").orElse("not checked");
    line("deploy", plan.source().describe());
    more("repository " + revision);
    more("new release " + plan.releaseDir() + " with a REVISION file");
    for (String path : plan.shared().dirs()) {
      more("link " + path + " -> " + plan.layout().shared().resolve(path) + " (shared dir)");
    }
    for (String path : plan.shared().files()) {
      more("link " + path + " -> " + plan.layout().shared().resolve(path) + " (shared file)");
    }
  }

  /** With a release in service: leave the load balancers, drain, stop; then switch. */
  private void stop(Prepared prepared) {
    BootPlan plan = prepared.plan();
    java.util.Optional<String> current = plan.layout().currentId();
    if (current.isPresent()) {
      plan.loadBalancers().ifPresent(lbs -> {
        line("leave", "DeregisterInstancesFromLoadBalancer " + String.join(", ", lbs.classic()) + " "
            + plan.instance().instanceId());
        more("then wait " + amiboot.config.DurationText.format(lbs.drain()) + " (load_balancer.drain)");
      });
      if (!plan.stop().isEmpty()) {
        line("stop", argv(prepared.runAs().wrap(plan.stop())) + " (release " + current.get() + ")");
      }
    }
    line("switch", plan.layout().current() + " -> " + plan.releaseDir() + current.map(c -> " (now " + c + ")").orElse(" (new)"));
    more("append a line to " + plan.layout().revisionsLog());
  }

  private void start(Prepared prepared) {
    BootPlan plan = prepared.plan();
    plan.workers().ifPresent(w -> line("workers", w.count() + ": " + w.reason()));
    if (plan.supervised().isPresent()) {
      BootPlan.Supervised run = plan.supervised().get();
      line("start", run.count() + " x " + argv(prepared.runAs().wrap(run.run())) + " (run:, supervised by amiboot start)");
      more("in " + plan.layout().current() + ", WORKER_INDEX 1.." + run.count() + ", PORT " + run.port() + ".."
          + (run.port() + run.count() - 1) + ", logs " + plan.layout().shared().resolve("log").resolve(plan.role() + ".N.log"));
      return;
    }
    if (plan.start().isEmpty()) {
      line("start", "nothing to run (no start command for role " + plan.role() + ")");
      return;
    }
    line("start", argv(prepared.runAs().wrap(plan.start())));
    more("in " + plan.layout().current() + ", " + prepared.runAs().note()
        + (plan.env().isEmpty() ? "" : ", env " + String.join(" ", plan.env().keySet())));
    more("output to " + plan.layout().shared().resolve("log").resolve(plan.role() + "-start.log"));
  }

  private void health(BootPlan plan) {
    plan.health().ifPresentOrElse(h -> line("health", "GET " + h.url() + " until 2xx"
            + h.expect().map(e -> " containing \"" + e + "\"").orElse("") + ", at most " + amiboot.config.DurationText.format(h.timeout())),
        () -> line("health", "no check for role " + plan.role()));
  }

  private void register(BootPlan plan) {
    plan.loadBalancers().ifPresentOrElse(lbs -> {
      for (String name : lbs.classic()) {
        line("register", "RegisterInstancesWithLoadBalancer " + name + " " + plan.instance().instanceId()
            + " (classic ELB, " + plan.instance().region() + ")");
      }
      if (lbs.waitInService()) {
        more("then DescribeInstanceHealth until InService, at most " + amiboot.config.DurationText.format(lbs.inServiceTimeout()));
      }
    }, () -> line("register", "no load balancer for role " + plan.role()));
  }

  private void prune(Prepared prepared) {
    BootPlan plan = prepared.plan();
    try {
      List<String> pruned = prepared.deployer().wouldPrune(plan.releaseId());
      line("prune", pruned.isEmpty() ? "nothing (keep_releases " + plan.keepReleases() + ")"
          : String.join(" ", pruned) + " (keep_releases " + plan.keepReleases() + "; failed and unchecked first)");
    } catch (IOException e) {
      line("prune", "cannot list releases: " + e.getMessage());
    }
  }

  /** argv as one line; elements with spaces or quotes are single-quoted so boundaries show. */
  static String argv(List<String> argv) {
    return argv.stream().map(a -> a.isEmpty() || a.matches(".*[\\s'\"\\\\].*") ? "'" + a.replace("'", "'\\''") + "'" : a)
        .collect(Collectors.joining(" "));
  }

  private void line(String step, String text) {
    out.printf("  %-9s %s%n", step, text);
  }

  private void more(String text) {
    out.printf("  %-9s %s%n", "", text);
  }

}
