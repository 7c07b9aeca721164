package amiboot.cds;

import amiboot.boot.Boot;
import amiboot.boot.RunContext;
import amiboot.boot.Shutdown;
import amiboot.lb.ClassicElb;
import amiboot.pipeline.BootException;
import amiboot.pipeline.Progress;
import amiboot.process.InstanceTypes;
import amiboot.simulate.ImdsStandIn;
import amiboot.simulate.SimulatedServices;
import java.io.IOException;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A boot and a stop of a throwaway box under a temp directory, touching what a real one does: the
 * YAML config, the SDK's metadata client over HTTP (against the in-process stand-in), a git deploy
 * with JGit, /etc/hosts, the role's commands, an HTTP health check, the SDK's ELB client (signing,
 * the Query protocol, XML), and the state files. The classes it loads are the ones worth archiving
 * for the commands that change the box. It leaves nothing behind.
 */
public final class ClassDataTraining {
  static final Duration METADATA_BUDGET = Duration.ofSeconds(10);

  private final Progress progress;

  public ClassDataTraining(Progress progress) {
    this.progress = progress;
  }

  public void run() throws IOException, BootException {
    try (ElbAnswers elb = ElbAnswers.start(ImdsStandIn.Instance.DEFAULT_INSTANCE_ID);
        TrainingBox box = TrainingBox.create(elb.endpoint())) {
      var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("training", "training"));
      SimulatedServices services = new SimulatedServices(box.metadataEndpoint(),
          region -> ClassicElb.at(region, elb.endpoint(), credentials));
      RunContext context = new RunContext(box.config(), services, progress, InstanceTypes.shipped(), METADATA_BUDGET);
      new Boot(context).run();
      new Shutdown(context).run();
    }
  }
}
