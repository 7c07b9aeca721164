package amiboot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.config.RepositoryType;
import amiboot.config.SharedConfig;
import amiboot.pipeline.BadInputException;
import amiboot.pipeline.BootException;
import amiboot.pipeline.UnavailableException;
import amiboot.testing.GitRepos;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.internal.WorkQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deployer + GitSource + ReleaseLayout against real git repositories on disk (file:// URLs):
 * what an operator finds under deploy_to after a deploy.
 */
class DeployerTest {

  private static final Clock FIXED = Clock.fixed(Instant.parse("2024-01-02T03:04:05Z"), ZoneOffset.UTC);
  private static final SharedConfig SHARED = new SharedConfig(List.of("log", "tmp/pids"), List.of("config/database.yml"));
  private static final String SHARED_DATABASE_YML = "production:\n  host: dbhost\n";

  @TempDir Path tmp;

  private Path upstream;
  private Path deployTo;
  private ReleaseLayout layout;

  @BeforeEach
  void setUp() throws IOException {
    Path content = tmp.resolve("content");
    write(content.resolve("README"), "version 1\n");
    write(content.resolve("config/database.yml"), "development:\n  host: localhost\n");
    write(content.resolve("log/README"), "the repository's own log dir\n");
    Path server = content.resolve("script/server");
    write(server, "#!/bin/sh\necho started\n");
    Files.setPosixFilePermissions(server, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(content.resolve("latest"), Path.of("README"));
    upstream = GitRepos.fromDirectory(content, tmp.resolve("upstream"));

    deployTo = tmp.resolve("home/payroll");
    layout = new ReleaseLayout(deployTo);
    write(layout.shared().resolve("config/database.yml"), SHARED_DATABASE_YML);
  }

  // --- one deploy: the layout ---

  @Test
  void deploy_createsReleaseWithRevisionAndSwitchesCurrent() throws Exception {
    Deployment d = deployer(5).deploy(git(Optional.empty(), Optional.empty()), layout.nextReleaseId(FIXED), "tester");

    assertTrue(d.releaseId().matches("\\d{14}"), d.releaseId());
    assertEquals("20240102030405", d.releaseId());
    Path release = deployTo.resolve("releases").resolve(d.releaseId());
    assertEquals(release, d.releaseDir());
    assertTrue(Files.isDirectory(release));
    assertEquals(head(upstream) + "\n", read(release.resolve("REVISION")));
    assertEquals(head(upstream), d.revision().id());
    assertEquals("version 1\n", read(release.resolve("README")));

    Path target = Files.readSymbolicLink(deployTo.resolve("current"));
    assertTrue(target.isAbsolute(), "current must be an absolute link: " + target);
    assertEquals(release, target);
    assertEquals(Optional.of(d.releaseId()), layout.currentId());

    List<String> log = Files.readAllLines(deployTo.resolve("revisions.log"));
    assertEquals(1, log.size());
    assertTrue(log.get(0).contains("release " + d.releaseId() + " revision " + head(upstream)), log.get(0));
    assertTrue(log.get(0).endsWith("deployed by tester"), log.get(0));
    assertEquals(List.of(), d.pruned());
  }

  @Test
  void deploy_keepsExecBitAndSymlinks_noGitMetadata() throws Exception {
    Deployment d = deploy(deployer(5), git(Optional.empty(), Optional.empty()));
    Path release = d.releaseDir();

    assertTrue(Files.getPosixFilePermissions(release.resolve("script/server")).contains(PosixFilePermission.OWNER_EXECUTE),
        "script/server must stay executable");
    assertFalse(Files.getPosixFilePermissions(release.resolve("README")).contains(PosixFilePermission.OWNER_EXECUTE),
        "README must not become executable");
    assertTrue(Files.isSymbolicLink(release.resolve("latest")), "latest must stay a symlink");
    assertEquals(Path.of("README"), Files.readSymbolicLink(release.resolve("latest")));
    assertEquals("version 1\n", read(release.resolve("latest")));
    assertFalse(Files.exists(release.resolve(".git"), LinkOption.NOFOLLOW_LINKS), "no .git in a release");
  }

  // --- shared/ ---

  @Test
  void deploy_sharedDirsAndFiles_linkedIntoRelease() throws Exception {
    Deployment d = deploy(deployer(5), git(Optional.empty(), Optional.empty()));
    Path release = d.releaseDir();

    Path log = release.resolve("log");
    assertTrue(Files.isSymbolicLink(log), "the repository's own log/ must be replaced by a link");
    assertEquals(layout.shared().resolve("log"), Files.readSymbolicLink(log));
    assertFalse(Files.exists(layout.shared().resolve("log/README")), "the repo's log content is not copied into shared");

    Path pids = release.resolve("tmp/pids");
    assertTrue(Files.isSymbolicLink(pids));
    assertEquals(layout.shared().resolve("tmp/pids"), Files.readSymbolicLink(pids));
    assertTrue(Files.isDirectory(layout.shared().resolve("tmp/pids")));

    Path yml = release.resolve("config/database.yml");
    assertTrue(Files.isSymbolicLink(yml), "config/database.yml must be a link into shared");
    assertEquals(layout.shared().resolve("config/database.yml"), Files.readSymbolicLink(yml));
    assertEquals(SHARED_DATABASE_YML, read(yml));

    // What the app writes to its log lands in shared/.
    Files.writeString(log.resolve("production.log"), "hello\n");
    assertEquals("hello\n", read(layout.shared().resolve("log/production.log")));
  }

  @Test
  void deploy_missingSharedFile_badInputNamingPath_nothingWritten() throws Exception {
    Path missing = layout.shared().resolve("config/database.yml");
    Files.delete(missing);

    BadInputException e = assertThrows(BadInputException.class,
        () -> deployer(5).deploy(git(Optional.empty(), Optional.empty()), layout.nextReleaseId(FIXED), "tester"));

    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertEquals(List.of(), entries(layout.releases()));
    assertFalse(Files.exists(deployTo.resolve("current"), LinkOption.NOFOLLOW_LINKS));
    assertFalse(Files.exists(deployTo.resolve("revisions.log")));
  }

  // --- pruning ---

  @Test
  void deploy_keep2Over4Deploys_prunesOldest_sharedLogSurvives() throws Exception {
    Deployer deployer = deployer(2);
    GitSource source = git(Optional.empty(), Optional.empty());

    Deployment first = deploy(deployer, source);
    // the app writes through the first release's log link
    Files.writeString(first.releaseDir().resolve("log/production.log"), "from release 1\n");
    Deployment second = deploy(deployer, source);
    Deployment third = deploy(deployer, source);
    Deployment fourth = deploy(deployer, source);

    assertEquals(List.of(first.releaseId()), third.pruned());
    assertEquals(List.of(second.releaseId()), fourth.pruned());
    assertEquals(List.of(third.releaseId(), fourth.releaseId()), layout.releaseIds());
    assertEquals(List.of(third.releaseId(), fourth.releaseId()), entries(layout.releases()));
    assertEquals(fourth.releaseDir(), Files.readSymbolicLink(deployTo.resolve("current")));
    assertEquals("from release 1\n", read(layout.shared().resolve("log/production.log")),
        "pruning a release must remove its log link, not the shared content behind it");
    assertEquals(SHARED_DATABASE_YML, read(layout.shared().resolve("config/database.yml")));
    assertEquals(4, Files.readAllLines(deployTo.resolve("revisions.log")).size());
  }

  @Test
  void prune_neverRemovesCurrent_evenWhenOldest() throws Exception {
    GitSource source = git(Optional.empty(), Optional.empty());
    Deployer keepAll = deployer(5);
    Deployment oldest = deploy(keepAll, source);
    Deployment middle = deploy(keepAll, source);
    Deployment newest = deploy(keepAll, source);
    // an operator rolled back by hand
    Files.delete(deployTo.resolve("current"));
    Files.createSymbolicLink(deployTo.resolve("current"), oldest.releaseDir());

    Deployer keepOne = deployer(1);
    assertEquals(List.of(oldest.releaseId(), middle.releaseId(), newest.releaseId()), layout.releaseIds());
    List<String> removed = keepOne.prune();

    assertEquals(List.of(middle.releaseId(), newest.releaseId()), removed);
    assertEquals(List.of(oldest.releaseId()), layout.releaseIds());
    assertEquals(oldest.releaseDir(), Files.readSymbolicLink(deployTo.resolve("current")));
    assertEquals("version 1\n", read(deployTo.resolve("current/README")), "current must still resolve");
  }

  @Test
  void prune_removesFailedReleasesFirst_andNeverTheNewestGood() throws Exception {
    GitSource source = git(Optional.empty(), Optional.empty());
    Deployer deployer = deployer(2);
    Deployment good = deploy(deployer, source);
    deployer.mark(good.releaseId(), ReleaseStatus.GOOD);
    Deployment failed = deploy(deployer, source);
    deployer.mark(failed.releaseId(), ReleaseStatus.FAILED);
    deployer.switchTo(good.releaseId(), "rolled back to");
    Deployment newer = deploy(deployer, source);
    deployer.mark(newer.releaseId(), ReleaseStatus.FAILED);
    deployer.switchTo(good.releaseId(), "rolled back to");

    // three releases, keep 2: the failed ones go first, oldest first; the good one is current and stays
    assertEquals(List.of(failed.releaseId()), newer.pruned());
    Deployment latest = deploy(deployer, source);

    // now current is the unchecked newest; the newest good release is older than what keep 2 would keep
    assertEquals(List.of(newer.releaseId()), latest.pruned());
    assertEquals(List.of(good.releaseId(), latest.releaseId()), layout.releaseIds());
    List<Release> listed = new Releases(layout).list();
    assertEquals(List.of(latest.releaseId(), good.releaseId()), listed.stream().map(Release::id).toList());
    assertEquals(List.of(ReleaseStatus.UNCHECKED, ReleaseStatus.GOOD), listed.stream().map(Release::status).toList());
    assertEquals(List.of(true, false), listed.stream().map(Release::current).toList());
  }

  @Test
  void pruneCandidates_failedAndUncheckedBeforeGood_oldestFirst() {
    Map<String, ReleaseStatus> statuses = Map.of("1", ReleaseStatus.GOOD, "2", ReleaseStatus.FAILED, "3", ReleaseStatus.GOOD,
        "5", ReleaseStatus.GOOD);
    List<String> ids = List.of("1", "2", "3", "4", "5", "6");

    assertEquals(List.of("2", "4", "1"), Deployer.pruneCandidates(ids, statuses, Set.of("5", "6"), 3));
    assertEquals(List.of(), Deployer.pruneCandidates(ids, statuses, Set.of("5", "6"), 6));
    assertEquals(List.of("2", "4", "1", "3"), Deployer.pruneCandidates(ids, statuses, Set.of("5", "6"), 1),
        "never below what must be kept");
  }

  @Test
  void previousGood_isTheNewestGoodOlderThanCurrent_neverANewerOne() throws Exception {
    GitSource source = git(Optional.empty(), Optional.empty());
    Deployer deployer = deployer(5);
    Deployment one = deploy(deployer, source);
    Deployment two = deploy(deployer, source);
    Deployment three = deploy(deployer, source);
    deployer.mark(one.releaseId(), ReleaseStatus.GOOD);
    deployer.mark(two.releaseId(), ReleaseStatus.FAILED);
    deployer.mark(three.releaseId(), ReleaseStatus.GOOD);

    assertEquals(Optional.of(one.releaseId()), new Releases(layout).previousGood().map(Release::id));
    deployer.switchTo(one.releaseId(), "rolled back to");
    assertEquals(Optional.empty(), new Releases(layout).previousGood(), "never forward: name the release instead");
  }

  @Test
  void switchTo_anIncompleteRelease_isRefused_currentUnchanged() throws Exception {
    Deployment one = deploy(deployer(5), git(Optional.empty(), Optional.empty()));
    Files.createDirectories(layout.release("20990101000000"));

    BadInputException e = assertThrows(BadInputException.class, () -> deployer(5).switchTo("20990101000000", "by hand"));

    assertTrue(e.getMessage().contains("not a complete release"), e.getMessage());
    assertEquals(Optional.of(one.releaseId()), layout.currentId());
  }

  @Test
  void deploy_keep1AfterManualRollback_keepsTheNewestGoodAndCurrent() throws Exception {
    GitSource source = git(Optional.empty(), Optional.empty());
    Deployer keepAll = deployer(5);
    Deployment oldest = deploy(keepAll, source);
    Deployment good = deploy(keepAll, source);
    keepAll.mark(good.releaseId(), ReleaseStatus.GOOD);
    Files.delete(deployTo.resolve("current"));
    Files.createSymbolicLink(deployTo.resolve("current"), oldest.releaseDir());

    Deployment next = deploy(deployer(1), source);

    assertEquals(List.of(good.releaseId(), next.releaseId()), layout.releaseIds());
    assertEquals(Optional.of(oldest.releaseId()), next.previous());
    assertEquals(List.of(oldest.releaseId()), next.pruned());
    assertEquals(next.releaseDir(), Files.readSymbolicLink(deployTo.resolve("current")));
    assertEquals("version 1\n", read(deployTo.resolve("current/README")));
  }

  // --- release ids ---

  @Test
  void nextReleaseId_twoDeploysInOneSecond_distinctAndIncreasing() throws Exception {
    Deployer deployer = deployer(5);
    GitSource source = git(Optional.empty(), Optional.empty());

    Deployment a = deploy(deployer, source);
    Deployment b = deploy(deployer, source);

    assertEquals("20240102030405", a.releaseId());
    assertEquals("20240102030406", b.releaseId());
    assertEquals(List.of(a.releaseId(), b.releaseId()), layout.releaseIds());
    assertEquals(b.releaseDir(), Files.readSymbolicLink(deployTo.resolve("current")));
  }

  @Test
  void nextReleaseId_releaseInFuture_clockWentBack_stillNewer() throws Exception {
    Files.createDirectories(layout.release("20300101000000"));

    String next = layout.nextReleaseId(FIXED);
    assertEquals("20300101000001", next);

    Deployment d = deployer(5).deploy(git(Optional.empty(), Optional.empty()), next, "tester");
    assertEquals(List.of("20300101000000", "20300101000001"), layout.releaseIds());
    assertEquals(Optional.of(d.releaseId()), layout.currentId());
  }

  @Test
  void nextReleaseId_noReleases_isUtcTimeNow() throws Exception {
    Clock plusFive = Clock.fixed(Instant.parse("2024-01-02T03:04:05Z"), ZoneOffset.ofHours(5));
    assertEquals("20240102030405", layout.nextReleaseId(plusFive));
  }

  // --- crash leftovers ---

  @Test
  void deploy_leftoverPartialDir_removedAndNeverListed() throws Exception {
    Path partial = layout.releases().resolve(".20200101000000.partial");
    write(partial.resolve("README"), "half written\n");
    assertEquals(List.of(), layout.releaseIds(), "a staging dir is never a release");

    Deployment d = deploy(deployer(5), git(Optional.empty(), Optional.empty()));

    assertFalse(Files.exists(partial), "the leftover staging dir must be removed");
    assertEquals(List.of(d.releaseId()), entries(layout.releases()));
    assertEquals(List.of(d.releaseId()), layout.releaseIds());
  }

  // --- repository cache ---

  @Test
  void deploy_newUpstreamCommit_fetchedIntoBareCache() throws Exception {
    Deployer deployer = deployer(5);
    GitSource source = git(Optional.empty(), Optional.empty());
    Deployment first = deploy(deployer, source);

    String second = GitRepos.commit(upstream, "README", "version 2\n", "second");
    Deployment next = deploy(deployer, git(Optional.empty(), Optional.empty()));

    assertNotEquals(first.revision().id(), second);
    assertEquals(second + "\n", read(next.releaseDir().resolve("REVISION")));
    assertEquals("version 2\n", read(deployTo.resolve("current/README")));
    Path cache = deployTo.resolve("repo");
    assertTrue(Files.isRegularFile(cache.resolve("HEAD")), "the cache is a git repository");
    assertTrue(Files.isDirectory(cache.resolve("objects")));
    assertFalse(Files.exists(cache.resolve("README")), "the cache is bare: no working tree files");
    assertFalse(Files.exists(cache.resolve(".git")), "the cache is bare: no .git dir");
    try (Git git = Git.open(cache.toFile())) {
      assertTrue(git.getRepository().isBare());
    }
    assertFalse(Files.exists(deployTo.resolve("repo.partial")));
  }

  @Test
  void deploy_urlChanged_reclonesFromNewUrl() throws Exception {
    Deployer deployer = deployer(5);
    deploy(deployer, git(Optional.empty(), Optional.empty()));

    Path otherContent = tmp.resolve("other-content");
    write(otherContent.resolve("README"), "another app\n");
    Path other = GitRepos.fromDirectory(otherContent, tmp.resolve("other"));
    Deployment d = deploy(deployer, new GitSource(spec(GitRepos.url(other), Optional.empty(), Optional.empty()), layout.repoCache()));

    assertEquals(head(other), d.revision().id());
    assertEquals("another app\n", read(d.releaseDir().resolve("README")));
    assertFalse(Files.exists(d.releaseDir().resolve("script/server")), "nothing from the old repository");
    try (Git git = Git.open(layout.repoCache().toFile())) {
      assertEquals(GitRepos.url(other), git.getRepository().getConfig().getString("remote", "origin", "url"));
    }
  }

  @Test
  void deploy_revisionNotFound_currentUnchanged_noStaging() throws Exception {
    Deployment good = deploy(deployer(5), git(Optional.empty(), Optional.empty()));
    String logBefore = read(deployTo.resolve("revisions.log"));

    GitSource missing = git(Optional.empty(), Optional.of("v9.9"));
    BadInputException e = assertThrows(BadInputException.class, () -> deploy(deployer(5), missing));

    assertTrue(e.getMessage().contains("v9.9"), e.getMessage());
    assertTrue(e.getMessage().contains("repository.revision"), e.getMessage());
    assertEquals(good.releaseDir(), Files.readSymbolicLink(deployTo.resolve("current")));
    assertEquals(List.of(good.releaseId()), entries(layout.releases()), "no staging dir, no new release");
    assertEquals(logBefore, read(deployTo.resolve("revisions.log")));
  }

  @Test
  void deploy_firstClone_leavesNoStaleGcLockInRepoCache() throws Exception {
    // Hold JGit's single background worker so its detached auto-GC is still pending when the clone
    // returns: what happens on a slow box, made deterministic.
    ScheduledThreadPoolExecutor jgitQueue = WorkQueue.getExecutor();
    CountDownLatch release = new CountDownLatch(1);
    Future<?> blocker = jgitQueue.submit(() -> {
      release.await();
      return null;
    });
    Deployment d;
    try {
      d = deploy(deployer(5), git(Optional.empty(), Optional.empty()));
    } finally {
      release.countDown();
    }
    blocker.get(5, TimeUnit.SECONDS);
    jgitQueue.submit(() -> { }).get(5, TimeUnit.SECONDS); // the background GC has run by now

    assertEquals(head(upstream), d.revision().id());
    assertFalse(Files.exists(layout.repoCache().resolve("gc.log.lock")),
        "a stale gc.log.lock in deploy_to/repo disables the cache's auto-GC for good");
  }

  @Test
  void deploy_upstreamGoneAfterFirstClone_unavailable_currentUnchanged() throws Exception {
    Deployment good = deploy(deployer(5), git(Optional.empty(), Optional.empty()));
    deleteTree(upstream);

    UnavailableException e = assertThrows(UnavailableException.class,
        () -> deploy(deployer(5), git(Optional.empty(), Optional.empty())));

    assertTrue(e.getMessage().contains(GitRepos.url(upstream)), e.getMessage());
    assertEquals(good.releaseDir(), Files.readSymbolicLink(deployTo.resolve("current")));
    assertEquals(List.of(good.releaseId()), entries(layout.releases()));
  }

  @Test
  void activate_revisionsLogUnwritable_stillSwitches_andSaysSo() throws Exception {
    Deployment first = deploy(deployer(5), git(Optional.empty(), Optional.empty()));
    Files.delete(deployTo.resolve("revisions.log"));
    Files.createDirectories(deployTo.resolve("revisions.log")); // appending to it fails, even as root
    Deployer deployer = deployer(5);
    BuiltRelease built = deployer.build(git(Optional.empty(), Optional.empty()), layout.nextReleaseId(FIXED));

    // the old processes are stopped by now: a log line is not worth leaving the instance down for
    String detail = deployer.activate(built, "tester");

    Path currentAfter = Files.readSymbolicLink(deployTo.resolve("current"));
    assertEquals(built.dir(), currentAfter, "the new release is complete and live");
    assertNotEquals(first.releaseDir(), currentAfter);
    assertTrue(detail.contains("recording it in " + deployTo.resolve("revisions.log") + " failed"), detail);
  }


  // --- GitSource: what gets picked ---

  @Test
  void gitSource_branch_exportsThatBranchNotHead() throws Exception {
    String mainCommit = head(upstream);
    GitRepos.branch(upstream, "feature"); // upstream HEAD is now feature
    String featureCommit = GitRepos.commit(upstream, "README", "feature work\n", "on feature");

    Revision main = git(Optional.of("main"), Optional.empty()).export(tmp.resolve("out-main"), Optional.empty());
    Revision feature = git(Optional.of("feature"), Optional.empty()).export(tmp.resolve("out-feature"), Optional.empty());
    Revision byDefault = git(Optional.empty(), Optional.empty()).export(tmp.resolve("out-default"), Optional.empty());

    assertEquals(mainCommit, main.id());
    assertEquals("version 1\n", read(tmp.resolve("out-main/README")));
    assertEquals(featureCommit, feature.id());
    assertEquals("feature work\n", read(tmp.resolve("out-feature/README")));
    assertEquals(featureCommit, byDefault.id(), "no branch: the remote's default branch (its HEAD)");
  }

  @Test
  void gitSource_tag_exportsTaggedCommit() throws Exception {
    String tagged = head(upstream);
    GitRepos.tag(upstream, "v1.0");
    GitRepos.commit(upstream, "README", "version 2\n", "after the tag");

    Deployment d = deploy(deployer(5), git(Optional.empty(), Optional.of("v1.0")));

    assertEquals(tagged, d.revision().id());
    assertEquals(tagged + "\n", read(d.releaseDir().resolve("REVISION")));
    assertEquals("version 1\n", read(d.releaseDir().resolve("README")));
    assertTrue(read(deployTo.resolve("revisions.log")).contains("v1.0"));
  }

  @Test
  void gitSource_tag_peekGivesTaggedCommit() throws Exception {
    String tagged = head(upstream);
    GitRepos.tag(upstream, "v1.0");
    GitRepos.commit(upstream, "README", "version 2\n", "after the tag");

    assertEquals(tagged, git(Optional.empty(), Optional.of("v1.0")).peek().id());
  }

  @Test
  void gitSource_commitRevision_exportsThatCommit() throws Exception {
    String first = head(upstream);
    GitRepos.commit(upstream, "README", "version 2\n", "second");

    Deployment full = deploy(deployer(5), git(Optional.empty(), Optional.of(first)));
    Deployment abbreviated = deploy(deployer(5), git(Optional.empty(), Optional.of(first.substring(0, 10))));

    assertEquals(first, full.revision().id());
    assertEquals("version 1\n", read(full.releaseDir().resolve("README")));
    assertEquals(first, abbreviated.revision().id());
  }

  @Test
  void gitSource_unknownBranch_badInput() throws Exception {
    GitSource source = git(Optional.of("nope"), Optional.empty());

    BadInputException onExport = assertThrows(BadInputException.class, () -> source.export(tmp.resolve("out"), Optional.empty()));
    assertTrue(onExport.getMessage().contains("nope"), onExport.getMessage());
    assertTrue(onExport.getMessage().contains("repository.branch"), onExport.getMessage());

    BadInputException onPeek = assertThrows(BadInputException.class, source::peek);
    assertTrue(onPeek.getMessage().contains("branch 'nope' not found"), onPeek.getMessage());
  }

  @Test
  void gitSource_nonexistentRepository_unavailableRepositoryNotFound() throws Exception {
    String url = tmp.resolve("no-such-repo").toUri().toString();
    GitSource source = new GitSource(spec(url, Optional.empty(), Optional.empty()), layout.repoCache());

    UnavailableException e = assertThrows(UnavailableException.class,
        () -> deployer(5).deploy(source, layout.nextReleaseId(FIXED), "tester"));

    assertTrue(e.getMessage().contains("repository not found"), e.getMessage());
    assertTrue(e.getMessage().contains(url), e.getMessage());
    assertFalse(Files.exists(layout.repoCache()), "no repository cache from a failed clone");
    assertFalse(Files.exists(deployTo.resolve("repo.partial")), "no partial clone left behind");
    assertEquals(List.of(), entries(layout.releases()));
    assertFalse(Files.exists(deployTo.resolve("current"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void gitSource_peek_headCommitWithoutCreatingCache() throws Exception {
    String second = GitRepos.commit(upstream, "README", "version 2\n", "second");

    Revision peeked = git(Optional.empty(), Optional.empty()).peek();

    assertEquals(second, peeked.id());
    assertFalse(Files.exists(layout.repoCache()), "peek must not clone");
    assertFalse(Files.exists(deployTo.resolve("releases")));
  }

  @Test
  void gitSource_peekBranch_thatBranchHead() throws Exception {
    String mainCommit = head(upstream);
    GitRepos.branch(upstream, "feature");
    GitRepos.commit(upstream, "README", "feature work\n", "on feature");

    assertEquals(mainCommit, git(Optional.of("main"), Optional.empty()).peek().id());
  }

  // --- helpers ---

  private Deployer deployer(int keep) {
    return new Deployer(layout, SHARED, keep, FIXED);
  }

  private Deployment deploy(Deployer deployer, SourceRepository source) throws BootException, IOException {
    return deployer.deploy(source, layout.nextReleaseId(FIXED), "tester");
  }

  private GitSource git(Optional<String> branch, Optional<String> revision) throws BootException {
    return new GitSource(spec(GitRepos.url(upstream), branch, revision), layout.repoCache());
  }

  private static SourceSpec spec(String url, Optional<String> branch, Optional<String> revision) {
    return new SourceSpec(RepositoryType.GIT, url, Optional.empty(), Optional.empty(), branch, revision);
  }

  private static String head(Path repo) {
    try (Git git = Git.open(repo.toFile())) {
      return git.getRepository().resolve("HEAD").name();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every name in a directory (hidden ones too), sorted; empty when it does not exist. */
  private static List<String> entries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
