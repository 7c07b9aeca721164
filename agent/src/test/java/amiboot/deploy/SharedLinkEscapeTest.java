package amiboot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.config.RepositoryType;
import amiboot.config.SharedConfig;
import amiboot.pipeline.BadInputException;
import amiboot.testing.GitRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A symlink in the repository must not lead the shared-path linking outside the release. */
class SharedLinkEscapeTest {
  @TempDir Path tmp;

  @Test
  void symlinkOnTheWayToASharedPath_isRefused_andNothingOutsideIsTouched() throws Exception {
    Path outside = tmp.resolve("outside");
    Files.createDirectories(outside.resolve("pids"));
    Files.writeString(outside.resolve("pids/keep.txt"), "not amiboot's\n");
    Path content = tmp.resolve("content");
    Files.createDirectories(content);
    Files.writeString(content.resolve("README"), "app\n");
    Files.createSymbolicLink(content.resolve("tmp"), outside);
    Path upstream = GitRepos.fromDirectory(content, tmp.resolve("upstream"));
    ReleaseLayout layout = new ReleaseLayout(tmp.resolve("home/payroll"));
    Deployer deployer = new Deployer(layout, new SharedConfig(List.of("tmp/pids"), List.of()), 5, Clock.systemUTC());
    SourceSpec spec = new SourceSpec(RepositoryType.GIT, GitRepos.url(upstream), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty());

    BadInputException e = assertThrows(BadInputException.class,
        () -> deployer.deploy(new GitSource(spec, layout.repoCache()), layout.nextReleaseId(Clock.systemUTC()), "t"));

    assertTrue(e.getMessage().contains("symlink at tmp, on the way to the shared path tmp/pids"), e.getMessage());
    assertEquals("not amiboot's\n", Files.readString(outside.resolve("pids/keep.txt")));
    assertTrue(!Files.isSymbolicLink(outside.resolve("pids")), "no link planted outside");
    assertEquals(List.of(), layout.releaseIds());
    assertTrue(layout.currentId().isEmpty());
  }
}
