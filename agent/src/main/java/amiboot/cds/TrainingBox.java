package amiboot.cds;

import amiboot.config.AgentConfig;
import amiboot.config.ConfigReader;
import amiboot.deploy.JGitSettings;
import amiboot.io.AtomicFiles;
import amiboot.pipeline.BadInputException;
import amiboot.simulate.ImdsStandIn;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The throwaway box the rehearsals run on: a temp directory holding a one-commit git repository,
 * a hosts file, the deploy and state directories and a config for them, with the metadata service
 * answered in-process. Closing it stops the stand-in and removes the directory.
 */
final class TrainingBox implements AutoCloseable {
  static final String USER_DATA = "DB=10.0.0.5;ROLE=app";
  static final String INSTANCE_TYPE = "m1.small";

  private final Path dir;
  private final ImdsStandIn metadata;
  private final Path configFile;

  private TrainingBox(Path dir, ImdsStandIn metadata, Path configFile) {
    this.dir = dir;
    this.metadata = metadata;
    this.configFile = configFile;
  }

  /** A new box whose app role checks its health at {@code health} and has one classic load balancer. */
  static TrainingBox create(URI health) throws IOException {
    Path dir = Files.createTempDirectory("amiboot-cds-training-");
    ImdsStandIn metadata = null;
    try {
      metadata = ImdsStandIn.start(ImdsStandIn.Instance.of(INSTANCE_TYPE, USER_DATA));
      Path repository = oneCommitRepository(dir.resolve("src.git"));
      return new TrainingBox(dir, metadata, writeConfig(dir, repository, health));
    } catch (IOException | RuntimeException e) {
      if (metadata != null) {
        metadata.close();
      }
      AtomicFiles.deleteTree(dir);
      throw e;
    }
  }

  Path configFile() {
    return configFile;
  }

  AgentConfig config() throws BadInputException {
    return new ConfigReader().read(configFile);
  }

  URI metadataEndpoint() {
    return metadata.endpoint();
  }

  @Override
  public void close() throws IOException {
    metadata.close();
    AtomicFiles.deleteTree(dir);
  }

  /**
   * A bare repository with one commit, written object by object: JGit's add and commit would load
   * the classes of a working tree (the index, ignore rules, attributes, hooks), which amiboot never
   * uses, into the rehearsal and so into the archives.
   */
  private static Path oneCommitRepository(Path dir) throws IOException {
    JGitSettings.apply(); // as GitSource does before its first use of JGit: git is not run to find its config
    PersonIdent author = new PersonIdent("amiboot", "amiboot@localhost");
    try (Repository repository = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build()) {
      repository.create(true);
      ObjectId commit;
      try (ObjectInserter inserter = repository.newObjectInserter()) {
        TreeFormatter tree = new TreeFormatter();
        tree.append("README", FileMode.REGULAR_FILE,
            inserter.insert(Constants.OBJ_BLOB, "the rehearsal's app\n".getBytes(StandardCharsets.UTF_8)));
        CommitBuilder builder = new CommitBuilder();
        builder.setTreeId(inserter.insert(tree));
        builder.setAuthor(author);
        builder.setCommitter(author);
        builder.setMessage("training\n");
        commit = inserter.insert(builder);
        inserter.flush();
      }
      RefUpdate main = repository.updateRef("refs/heads/main");
      main.setNewObjectId(commit);
      if (main.update() != RefUpdate.Result.NEW) {
        throw new IOException("cannot make the rehearsal's repository: refs/heads/main not created");
      }
      repository.updateRef(Constants.HEAD).link("refs/heads/main");
    }
    return dir;
  }

  private static Path writeConfig(Path dir, Path repository, URI health) throws IOException {
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
        """.formatted(dir, repository.toUri(), health);
    Path file = dir.resolve("amiboot.yml");
    Files.writeString(file, config);
    return file;
  }
}
