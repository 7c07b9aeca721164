package amiboot.cds;

import amiboot.boot.Boot;
import amiboot.boot.RunContext;
import amiboot.boot.Shutdown;
import amiboot.config.AgentConfig;
import amiboot.config.ConfigReader;
import amiboot.io.AtomicFiles;
import amiboot.lb.ClassicElb;
import amiboot.pipeline.BootException;
import amiboot.pipeline.Progress;
import amiboot.process.InstanceTypes;
import amiboot.simulate.ImdsStandIn;
import amiboot.simulate.SimulatedServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A boot and a stop of a throwaway box under a temp directory, touching what a real one does: the
 * YAML config, the SDK's metadata client over HTTP (against the in-process stand-in), a git deploy
 * with JGit, /etc/hosts, the role's commands, an HTTP health check, the SDK's ELB client (signing,
 * the Query protocol, XML), and the state files. The classes it loads are the ones worth archiving.
 * It leaves nothing behind.
 */
public final class ClassDataTraining {
  private static final String USER_DATA = "DB=10.0.0.5;ROLE=app";
  private static final Duration METADATA_BUDGET = Duration.ofSeconds(10);

  private final Progress progress;

  public ClassDataTraining(Progress progress) {
    this.progress = progress;
  }

  public void run() throws IOException, BootException {
    Path dir = Files.createTempDirectory("amiboot-cds-training-");
    try (ImdsStandIn metadata = ImdsStandIn.start(ImdsStandIn.Instance.of("m1.small", USER_DATA));
        ElbAnswers elb = ElbAnswers.start(ImdsStandIn.Instance.DEFAULT_INSTANCE_ID)) {
      Path repository = oneCommitRepository(dir.resolve("src"));
      AgentConfig config = new ConfigReader().read(writeConfig(dir, repository, elb));
      var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("training", "training"));
      SimulatedServices services = new SimulatedServices(metadata.endpoint(),
          region -> ClassicElb.at(region, elb.endpoint(), credentials));
      RunContext context = new RunContext(config, services, progress, InstanceTypes.shipped(), METADATA_BUDGET);
      new Boot(context).run();
      new Shutdown(context).run();
    } finally {
      AtomicFiles.deleteTree(dir);
    }
  }

  private static Path oneCommitRepository(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("script"));
    Files.writeString(dir.resolve("README"), "the rehearsal's app\n");
    PersonIdent author = new PersonIdent("amiboot", "amiboot@localhost");
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("training").setAuthor(author).setCommitter(author).setSign(false).call();
    } catch (GitAPIException e) {
      throw new IOException("cannot make the rehearsal's repository: " + e.getMessage(), e);
    }
    return dir;
  }

  private static Path writeConfig(Path dir, Path repository, ElbAnswers elb) throws IOException {
    Files.writeString(dir.resolve("hosts"), "127.0.0.1\tlocalhost\n");
    String config = """
        deploy_to: %1$s/app
        repository: { type: git, url: "%2$s" }
        hosts_file: %1$s/hosts
        state_dir: %1$s/state
        shared: { dirs: [log] }
        hosts: { dbhost: "${DB}" }
        role_from: ROLE
        roles:
          app:
            start: [/bin/true]
            stop: [/bin/true]
            health: { url: "%3$s/", timeout: 10s }
            load_balancer: { classic: [training], drain: 0s }
        """.formatted(dir, repository.toUri(), elb.endpoint());
    Path file = dir.resolve("amiboot.yml");
    Files.writeString(file, config);
    return file;
  }
}
