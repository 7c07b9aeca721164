package amiboot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.config.RepositoryType;
import amiboot.testing.GitRepos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GitSource.export with a base release: what did not change is shared with the base by hard
 * link, and the result is always exactly what a full export writes.
 */
class GitIncrementalExportTest {
  @TempDir Path tmp;
  private Path upstream;
  private Path work;

  @BeforeEach
  void setUp() throws IOException {
    Path content = tmp.resolve("content");
    write(content.resolve("README"), "version 1\n");
    write(content.resolve("app/model/user.rb"), "class User\nend\n");
    write(content.resolve("app/model/invoice.rb"), "class Invoice\nend\n");
    write(content.resolve("app/old_name.rb"), "renamed soon\n");
    write(content.resolve("lib/doomed.rb"), "deleted soon\n");
    write(content.resolve("lib/keep/deep/file.txt"), "deep and unchanged\n");
    write(content.resolve("script/not_yet_executable"), "#!/bin/sh\n");
    write(content.resolve("script/was_executable"), "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(content.resolve("script/was_executable"), PosixFilePermissions.fromString("rwxr-xr-x"));
    write(content.resolve("config/becomes_link.yml"), "a: 1\n");
    Files.createSymbolicLink(content.resolve("latest"), Path.of("README"));
    upstream = GitRepos.fromDirectory(content, tmp.resolve("upstream"));
    work = upstream; // the upstream's working tree: changes are made there and committed
  }

  @Test
  void afterAddModifyDeleteRenameChmodAndSymlink_equalsAFullExport() throws Exception {
    BaseRelease base = deployBase();

    write(work.resolve("README"), "version 2\n");
    write(work.resolve("app/new/added.rb"), "class Added\nend\n");
    Files.delete(work.resolve("lib/doomed.rb"));
    Files.move(work.resolve("app/old_name.rb"), work.resolve("app/new_name.rb"));
    Files.setPosixFilePermissions(work.resolve("script/not_yet_executable"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(work.resolve("script/was_executable"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.delete(work.resolve("config/becomes_link.yml"));
    Files.createSymbolicLink(work.resolve("config/becomes_link.yml"), Path.of("../README"));
    Files.delete(work.resolve("latest"));
    write(work.resolve("latest"), "a file where a symlink was\n");
    GitRepos.commitAll(upstream, "every kind of change");

    Path incremental = tmp.resolve("releases/incremental");
    source("repo").export(incremental, Optional.of(base));
    Path full = tmp.resolve("full");
    source("other-repo").export(full, Optional.empty());

    assertEquals(snapshot(full), snapshot(incremental));
    assertTrue(snapshot(incremental).get("script/not_yet_executable").startsWith("file +x"));
    assertTrue(snapshot(incremental).get("script/was_executable").startsWith("file -x"));
    assertEquals("link ../README", snapshot(incremental).get("config/becomes_link.yml"));
    assertFalse(Files.exists(incremental.resolve("lib/doomed.rb")));
    assertFalse(Files.exists(incremental.resolve("REVISION")), "REVISION is the deployer's to write");
  }

  @Test
  void anUnchangedFile_isTheBasesInode_aChangedOneIsNew() throws Exception {
    BaseRelease base = deployBase();
    write(work.resolve("README"), "version 2\n");
    GitRepos.commitAll(upstream, "change README");

    Path next = tmp.resolve("releases/next");
    source("repo").export(next, Optional.of(base));

    assertEquals(inode(base.dir().resolve("lib/keep/deep/file.txt")), inode(next.resolve("lib/keep/deep/file.txt")));
    assertEquals(inode(base.dir().resolve("script/was_executable")), inode(next.resolve("script/was_executable")));
    assertNotEquals(inode(base.dir().resolve("README")), inode(next.resolve("README")));
    assertEquals("version 2\n", Files.readString(next.resolve("README")));
    assertEquals("version 1\n", Files.readString(base.dir().resolve("README")), "the base release is never written");
    assertTrue(Files.isSymbolicLink(next.resolve("latest")));
  }

  @Test
  void aBaseFileEditedInPlaceAfterTheDeploy_isNotReused() throws Exception {
    BaseRelease base = deployBase();
    Path edited = base.dir().resolve("app/model/user.rb");
    Files.writeString(edited, "class Hack\nend\n"); // same size, edited by hand on the box
    Files.setLastModifiedTime(edited, FileTime.fromMillis(Files.getLastModifiedTime(base.revisionFile()).toMillis() + 60_000));
    write(work.resolve("README"), "version 2\n");
    GitRepos.commitAll(upstream, "change README only");

    Path next = tmp.resolve("releases/next");
    source("repo").export(next, Optional.of(base));

    assertEquals("class User\nend\n", Files.readString(next.resolve("app/model/user.rb")), "the repository's content");
    assertNotEquals(inode(edited), inode(next.resolve("app/model/user.rb")));
    assertEquals("class Hack\nend\n", Files.readString(edited), "the base keeps its edit");
    assertEquals(inode(base.dir().resolve("app/model/invoice.rb")), inode(next.resolve("app/model/invoice.rb")));
  }

  @Test
  void aBaseWhoseRevisionIsNotInTheMirror_isAFullExport() throws Exception {
    BaseRelease deployed = deployBase();
    BaseRelease unknown = new BaseRelease(deployed.dir(), "0123456789abcdef0123456789abcdef01234567");
    BaseRelease notAnId = new BaseRelease(deployed.dir(), "r1234");

    Path a = tmp.resolve("releases/a");
    source("repo").export(a, Optional.of(unknown));
    Path b = tmp.resolve("releases/b");
    source("repo").export(b, Optional.of(notAnId));

    assertEquals(snapshot(deployed.dir()), snapshot(a));
    assertEquals(snapshot(deployed.dir()), snapshot(b));
    assertNotEquals(inode(deployed.dir().resolve("README")), inode(a.resolve("README")));
  }

  @Test
  void aBaseBehindASharedSymlink_isWrittenNotLinked() throws Exception {
    BaseRelease base = deployBase();
    // the deployer replaced lib/keep by a link into shared/ (shared.dirs: [lib/keep])
    Path shared = tmp.resolve("shared/lib/keep");
    Files.createDirectories(shared.getParent());
    Files.move(base.dir().resolve("lib/keep"), shared);
    Files.createSymbolicLink(base.dir().resolve("lib/keep"), shared);
    GitRepos.commit(upstream, "README", "version 2\n", "change README");

    Path next = tmp.resolve("releases/next");
    source("repo").export(next, Optional.of(base));

    assertTrue(Files.isDirectory(next.resolve("lib/keep"), LinkOption.NOFOLLOW_LINKS));
    assertNotEquals(inode(shared.resolve("deep/file.txt")), inode(next.resolve("lib/keep/deep/file.txt")));
    assertEquals("deep and unchanged\n", Files.readString(next.resolve("lib/keep/deep/file.txt")));
  }

  // --- helpers ---

  /** A release as the deployer leaves it: the export, then REVISION written last. */
  private BaseRelease deployBase() throws Exception {
    Path dir = tmp.resolve("releases/base");
    Revision revision = source("repo").export(dir, Optional.empty());
    Files.writeString(dir.resolve("REVISION"), revision.id() + "\n");
    return new BaseRelease(dir, revision.id());
  }

  private GitSource source(String mirror) throws Exception {
    SourceSpec spec = new SourceSpec(RepositoryType.GIT, GitRepos.url(upstream), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty());
    return new GitSource(spec, tmp.resolve(mirror));
  }

  /** Every path under a release: its type, exec bit and content or link target. */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> all = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        String name = root.relativize(p).toString();
        if (name.isEmpty() || name.equals("REVISION")) {
          continue;
        }
        if (Files.isSymbolicLink(p)) {
          all.put(name, "link " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p)) {
          all.put(name, "dir");
        } else {
          boolean exec = Files.getPosixFilePermissions(p).contains(PosixFilePermission.OWNER_EXECUTE);
          all.put(name, "file " + (exec ? "+x " : "-x ") + Files.readString(p, StandardCharsets.UTF_8));
        }
      }
    }
    return all;
  }

  private static Object inode(Path file) throws IOException {
    return Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
