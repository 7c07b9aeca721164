package amiboot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import amiboot.testing.GitRepos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TreeExport's threads: the same release whatever their number, and a failure in one of them is the export's. */
class TreeExportTest {
  private static final int FILES = 400;

  @TempDir Path tmp;
  private Path upstream;

  @BeforeEach
  void setUp() throws IOException {
    Path content = tmp.resolve("content");
    for (int i = 0; i < FILES; i++) {
      Path file = content.resolve("dir" + (i % 7) + "/sub" + (i % 3) + "/file" + i + ".txt");
      Files.createDirectories(file.getParent());
      Files.writeString(file, ("content of file " + i + "\n").repeat(i % 50 + 1), StandardCharsets.UTF_8);
      if (i % 10 == 0) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
    upstream = GitRepos.fromDirectory(content, tmp.resolve("upstream"));
  }

  @Test
  void oneThreadOrFour_writeTheSameRelease() throws Exception {
    Path one = tmp.resolve("one");
    Path four = tmp.resolve("four");

    TreeExport.Counts counts = export(1, Optional.empty(), one);
    export(4, Optional.empty(), four);

    assertEquals(new TreeExport.Counts(FILES, 0), counts);
    assertEquals(GitIncrementalExportTest.snapshot(one), GitIncrementalExportTest.snapshot(four));
  }

  @Test
  void withABase_fourThreadsLinkWhatDidNotChange() throws Exception {
    Path base = tmp.resolve("releases/base");
    export(1, Optional.empty(), base);
    RevTree baseTree = headTree();
    Files.writeString(base.resolve("REVISION"), "base\n");
    for (int i = 0; i < FILES; i += 4) {
      Files.writeString(upstream.resolve("dir" + (i % 7) + "/sub" + (i % 3) + "/file" + i + ".txt"), "changed " + i + "\n");
    }
    GitRepos.commitAll(upstream, "a quarter changed");
    BaseFiles files = BaseFiles.of(Optional.of(new BaseRelease(base, "base"))).orElseThrow();

    Path next = tmp.resolve("releases/next");
    TreeExport.Counts counts = export(4, Optional.of(new TreeExport.Base(baseTree, files)), next);
    Path full = tmp.resolve("full");
    export(1, Optional.empty(), full);

    assertEquals(new TreeExport.Counts(FILES / 4, FILES - FILES / 4), counts);
    assertEquals(GitIncrementalExportTest.snapshot(full), GitIncrementalExportTest.snapshot(next));
  }

  @Test
  void aBlobThatCannotBeRead_failsTheExport_whicheverThreadHitIt() throws Exception {
    String id;
    try (Git git = Git.open(upstream.toFile()); TreeWalk walk = TreeWalk.forPath(git.getRepository(), "dir6/sub2/file398.txt", headTree())) {
      id = walk.getObjectId(0).name();
    }
    Files.delete(upstream.resolve(".git/objects/" + id.substring(0, 2) + "/" + id.substring(2))); // a loose object

    MissingObjectException e = assertThrows(MissingObjectException.class, () -> export(4, Optional.empty(), tmp.resolve("dest")));
    assertEquals(id, e.getObjectId().name());
  }

  private TreeExport.Counts export(int threads, Optional<TreeExport.Base> base, Path dest) throws Exception {
    try (Git git = Git.open(upstream.toFile())) {
      Repository repo = git.getRepository();
      return new TreeExport(repo, "upstream", threads).write(headTree(), base, dest);
    }
  }

  private RevTree headTree() throws IOException {
    try (Git git = Git.open(upstream.toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
      return walk.parseCommit(git.getRepository().resolve("HEAD")).getTree();
    }
  }
}
