package amiboot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.config.RepositoryType;
import amiboot.config.SharedConfig;
import amiboot.pipeline.BadInputException;
import amiboot.pipeline.CannotWriteException;
import amiboot.pipeline.UnavailableException;
import amiboot.testing.CacheDamage;
import amiboot.testing.GitRepos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.internal.storage.file.Pack;
import org.eclipse.jgit.internal.storage.file.PackIndex;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The repository cache under deploy_to/repo across redeploys: fetched, never rewritten, and usable after a crash. */
class GitMirrorTest {
  @TempDir Path tmp;
  private Path upstream;
  private ReleaseLayout layout;

  @BeforeEach
  void setUp() throws IOException {
    Path content = tmp.resolve("content");
    for (int i = 0; i < 20; i++) {
      write(content.resolve("app/file" + i + ".txt"), ("line of file " + i + "\n").repeat(50));
    }
    upstream = GitRepos.fromDirectory(content, tmp.resolve("upstream"));
    layout = new ReleaseLayout(tmp.resolve("deploy"));
  }

  @Test
  void aRedeployAfterOneCommit_addsAPack_andRewritesNoneOfTheOldOnes() throws Exception {
    deploy();
    Map<String, String> before = packs();
    GitRepos.commit(upstream, "app/file1.txt", "changed\n", "one more");

    Deployment next = deploy();

    Map<String, String> after = packs();
    before.forEach((name, identity) -> assertEquals(identity, after.get(name), name + " must not be rewritten"));
    assertTrue(after.size() > before.size(), "the new objects arrive as a pack of their own: " + after.keySet());
    assertEquals("changed\n", Files.readString(next.releaseDir().resolve("app/file1.txt")));
  }

  @Test
  void pastGitsPackLimit_aFetchStillRepacksNothing() throws Exception {
    deploy();
    try (Git git = Git.open(layout.repoCache().toFile())) {
      StoredConfig config = git.getRepository().getConfig();
      config.setInt("gc", null, "autoPackLimit", 1); // as after 50 fetches
      config.save();
    }
    GitRepos.commit(upstream, "app/file1.txt", "changed\n", "one more");
    deploy();
    Map<String, String> before = packs();
    GitRepos.commit(upstream, "app/file2.txt", "changed too\n", "and another");

    deploy();

    Map<String, String> after = packs();
    before.forEach((name, identity) -> assertEquals(identity, after.get(name), name + " must not be rewritten"));
    assertEquals(before.size() + 1, after.size(), after.keySet().toString());
  }

  @Test
  void leftoversOfAKilledFetch_areRemoved_andTheNextDeployWorks() throws Exception {
    deploy();
    Path repo = layout.repoCache();
    Path pack = Files.list(repo.resolve("objects/pack")).filter(p -> p.toString().endsWith(".pack")).findFirst().orElseThrow();
    String packBase = pack.getFileName().toString().replace(".pack", "");
    List<String> leftovers = List.of("refs/heads/main.lock", "packed-refs.lock", "config.lock", "shallow.lock", "index.lock",
        "HEAD.lock", "FETCH_HEAD.lock", "gc.log.lock", "objects/incoming_4711.pack", "objects/incoming_4711.idx",
        "objects/noz12345", "objects/pack/tmp_pack_abc", "objects/pack/gc_123.pack_tmp", "objects/pack/amiboot_1.pack.tmp",
        "objects/pack/" + packBase + ".keep");
    for (String leftover : leftovers) {
      write(repo.resolve(leftover), leftover.endsWith(".keep") ? "jgit fetch " + GitRepos.url(upstream) : "half written");
    }
    String head = GitRepos.commit(upstream, "app/file1.txt", "after the crash\n", "next");

    Deployment next = deploy();

    assertEquals(head, next.revision().id());
    assertEquals("after the crash\n", Files.readString(next.releaseDir().resolve("app/file1.txt")));
    for (String leftover : leftovers) {
      assertFalse(Files.exists(repo.resolve(leftover)), leftover + " must be removed");
    }
    assertTrue(Files.exists(pack), "complete packs stay");
  }

  @Test
  void aRefTheFetchCannotUpdate_failsTheDeploy_insteadOfDeployingTheOldCommit() throws Exception {
    Deployment first = deploy();
    Files.createDirectories(layout.repoCache().resolve("refs/heads/main.lock")); // no stale lock file: left alone
    GitRepos.commit(upstream, "app/file1.txt", "changed\n", "one more");

    CannotWriteException e = assertThrows(CannotWriteException.class, this::deploy);

    assertTrue(e.getMessage().contains("refs/heads/main"), e.getMessage());
    assertEquals(Optional.of(first.releaseId()), layout.currentId());
  }

  @Test
  void aBranchDeletedUpstream_isPrunedFromTheMirror_andTheDeployGoesOn() throws Exception {
    GitRepos.branch(upstream, "feature");
    GitRepos.commit(upstream, "app/file1.txt", "feature work\n", "on feature");
    try (Git git = Git.open(upstream.toFile())) {
      git.checkout().setName("main").call();
    }
    deploy();
    assertTrue(mirrorHas("refs/heads/feature"));
    try (Git git = Git.open(upstream.toFile())) {
      git.branchDelete().setBranchNames("feature").setForce(true).call();
    }

    Deployment next = deploy();

    assertFalse(mirrorHas("refs/heads/feature"));
    assertEquals(("line of file 1\n").repeat(50), Files.readString(next.releaseDir().resolve("app/file1.txt")));
  }

  @Test
  void aKeepFileSomeonePutThereOnPurpose_stays() throws Exception {
    deploy();
    Path keep = Files.list(layout.repoCache().resolve("objects/pack")).filter(p -> p.toString().endsWith(".pack"))
        .map(p -> Path.of(p.toString().replace(".pack", ".keep"))).findFirst().orElseThrow();
    Files.writeString(keep, "kept by the operator\n");
    GitRepos.commit(upstream, "app/file1.txt", "changed\n", "one more");

    deploy();

    assertTrue(Files.exists(keep));
  }

  @Test
  void consolidation_mergesTheSmallPacks_neverTheLargest_andLosesNoObject() throws Exception {
    deploy();
    for (int i = 0; i < 4; i++) {
      GitRepos.commit(upstream, "app/file" + i + ".txt", "edit " + i + "\n", "edit " + i);
      deploy();
    }
    Map<String, String> before = packs();
    String largest = largestPack();
    Set<ObjectId> objects = objectIds();

    int merged;
    try (Git git = Git.open(layout.repoCache().toFile())) {
      merged = new PackConsolidation(2).run(git.getRepository());
    }

    Map<String, String> after = packs();
    assertEquals(4, merged);
    assertEquals(2, after.size(), after.keySet().toString());
    assertEquals(before.get(largest), after.get(largest), "the largest pack is never rewritten");
    assertEquals(objects, objectIds());
    assertEquals(Set.of(), leftoverTemps());
    GitRepos.commit(upstream, "app/file9.txt", "after the merge\n", "next");
    Deployment next = deploy();
    assertEquals("after the merge\n", Files.readString(next.releaseDir().resolve("app/file9.txt")));
    assertEquals("edit 3\n", Files.readString(next.releaseDir().resolve("app/file3.txt")));
  }

  @Test
  void consolidation_killedBeforeItsDeletes_mergesAgainIntoTheSamePack() throws Exception {
    deploy();
    for (int i = 0; i < 3; i++) {
      GitRepos.commit(upstream, "app/file" + i + ".txt", "edit " + i + "\n", "edit " + i);
      deploy();
    }
    Path packDir = layout.repoCache().resolve("objects/pack");
    Path saved = tmp.resolve("saved-packs");
    copyDir(packDir, saved);
    Set<ObjectId> objects = objectIds();
    try (Git git = Git.open(layout.repoCache().toFile())) {
      new PackConsolidation(2).run(git.getRepository());
    }
    copyDir(saved, packDir); // the small packs back: as if killed after the rename, before the deletes

    try (Git git = Git.open(layout.repoCache().toFile())) {
      new PackConsolidation(2).run(git.getRepository());
    }

    assertEquals(2, packs().size(), packs().keySet().toString());
    assertEquals(objects, objectIds());
  }

  @ParameterizedTest
  @EnumSource(CacheDamage.class)
  void aDamagedCache_isSetAside_andClonedAgain_inTheSameDeploy(CacheDamage damage) throws Exception {
    deploy();
    damage.apply(layout.repoCache());
    String head = GitRepos.commit(upstream, "app/file1.txt", "after the damage\n", "next");

    Deployment next = deploy();

    assertEquals(head, next.revision().id());
    assertEquals("after the damage\n", Files.readString(next.releaseDir().resolve("app/file1.txt")));
    assertEquals("line of file 2\n".repeat(50), Files.readString(next.releaseDir().resolve("app/file2.txt")));
    assertSetAsideOnce(next);
  }

  @ParameterizedTest
  @EnumSource(CacheDamage.class)
  void aDamagedCache_withNothingNewUpstream_isSetAsideToo(CacheDamage damage) throws Exception {
    Deployment first = deploy();
    damage.apply(layout.repoCache());

    Deployment next = deploy();

    assertEquals(first.revision().id(), next.revision().id());
    assertEquals("line of file 1\n".repeat(50), Files.readString(next.releaseDir().resolve("app/file1.txt")));
    assertSetAsideOnce(next);
  }

  @Test
  void aCacheDamagedAgain_replacesTheCopySetAsideBefore() throws Exception {
    deploy();
    CacheDamage.EMPTY_PACK.apply(layout.repoCache());
    deploy();
    CacheDamage.GARBAGE_HEAD.apply(layout.repoCache());

    Deployment next = deploy();

    assertSetAsideOnce(next);
  }

  @Test
  void aDamagedCache_withTheRepositoryGone_failsForTheRepository_andLeavesNoCacheToTrip() throws Exception {
    deploy();
    CacheDamage.EMPTY_PACK.apply(layout.repoCache());
    Files.move(upstream, tmp.resolve("moved-away"));

    UnavailableException e = assertThrows(UnavailableException.class, this::deploy);

    assertTrue(e.getMessage().contains("repository not found"), e.getMessage());
    assertFalse(Files.exists(layout.repoCache()), "the damaged cache is set aside all the same");
    assertEquals(1, setAside().size());
  }

  @Test
  void aCacheLinkedToAnotherDisk_isUsedWhereItIs() throws Exception {
    deploy();
    Path elsewhere = tmp.resolve("bigger-disk/repo");
    Files.createDirectories(elsewhere.getParent());
    Files.move(layout.repoCache(), elsewhere);
    Files.createSymbolicLink(layout.repoCache(), elsewhere);
    String head = GitRepos.commit(upstream, "app/file1.txt", "fetched through the link\n", "next");

    Deployment next = deploy();

    assertEquals(head, next.revision().id());
    assertEquals(Optional.empty(), next.revision().notice());
    assertTrue(Files.isSymbolicLink(layout.repoCache()));
    assertEquals(List.of(), setAside());
  }

  @Test
  void aPinnedCommitIdNoBranchHas_isBadInput_andTheCacheStays() throws Exception {
    deploy();
    Path mirror = layout.repoCache();
    Object inode = Files.getAttribute(mirror, "unix:ino");
    String unknown = "0123456789abcdef0123456789abcdef01234567";

    BadInputException e = assertThrows(BadInputException.class, () -> deploy(Optional.of(unknown)));

    assertTrue(e.getMessage().contains("revision " + unknown + " not found"), e.getMessage());
    assertEquals(inode, Files.getAttribute(mirror, "unix:ino"), "a wrong commit id is not the cache's damage");
    assertEquals(List.of(), setAside());
  }

  // --- helpers ---

  /** The deploy says it set the damaged cache aside, one copy is there, and the new cache reads whole. */
  private void assertSetAsideOnce(Deployment next) throws IOException {
    String notice = next.revision().notice().orElseThrow(() -> new AssertionError("the deploy does not say it set the cache aside"));
    assertTrue(notice.matches("repository cache damaged \\(.+\\): moved to \\S+/repo\\.corrupt-\\d{14}, cloned again"), notice);
    List<Path> aside = setAside();
    assertEquals(1, aside.size(), aside.toString());
    assertTrue(notice.contains(aside.get(0).toString()), notice);
    assertTrue(Files.isDirectory(layout.repoCache()), "a fresh clone");
    assertFalse(objectIds().isEmpty());
  }

  private List<Path> setAside() throws IOException {
    try (Stream<Path> files = Files.list(layout.deployTo())) {
      return files.filter(p -> p.getFileName().toString().startsWith("repo.corrupt-")).toList();
    }
  }

  private Deployment deploy() throws Exception {
    return deploy(Optional.empty());
  }

  private Deployment deploy(Optional<String> revision) throws Exception {
    SourceSpec spec = new SourceSpec(RepositoryType.GIT, GitRepos.url(upstream), Optional.empty(), Optional.empty(),
        Optional.empty(), revision);
    Deployer deployer = new Deployer(layout, new SharedConfig(List.of("log"), List.of()), 5, Clock.systemUTC());
    return deployer.deploy(new GitSource(spec, layout.repoCache()), layout.nextReleaseId(Clock.systemUTC()), "tester");
  }

  private boolean mirrorHas(String ref) throws IOException {
    try (Git git = Git.open(layout.repoCache().toFile())) {
      return git.getRepository().exactRef(ref) != null;
    }
  }

  /** Each pack file of the mirror: its name, and what would change if it were rewritten (inode, mtime). */
  private Map<String, String> packs() throws IOException {
    Map<String, String> packs = new TreeMap<>();
    try (Stream<Path> files = Files.list(layout.repoCache().resolve("objects/pack"))) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (p.toString().endsWith(".pack")) {
          packs.put(p.getFileName().toString(), Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS) + " "
              + Files.getLastModifiedTime(p).toMillis());
        }
      }
    }
    return packs;
  }

  private String largestPack() throws IOException {
    try (Stream<Path> files = Files.list(layout.repoCache().resolve("objects/pack"))) {
      return files.filter(p -> p.toString().endsWith(".pack"))
          .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow().getFileName().toString();
    }
  }

  private Set<Path> leftoverTemps() throws IOException {
    try (Stream<Path> files = Files.list(layout.repoCache().resolve("objects/pack"))) {
      return new HashSet<>(files.filter(p -> p.toString().endsWith(".tmp")).toList());
    }
  }

  /** Every object id in the mirror's packs, read by a fresh JGit. */
  private Set<ObjectId> objectIds() throws IOException {
    Set<ObjectId> ids = new HashSet<>();
    try (Git git = Git.open(layout.repoCache().toFile())) {
      Repository repo = git.getRepository();
      for (Pack pack : ((ObjectDirectory) repo.getObjectDatabase()).getPacks()) {
        for (PackIndex.MutableEntry e : pack) {
          ids.add(e.toObjectId());
        }
      }
      for (ObjectId id : ids) {
        assertTrue(repo.getObjectDatabase().has(id));
        repo.open(id).getBytes(); // readable, deltas resolvable
      }
    }
    return ids;
  }

  private static void copyDir(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(p.getFileName().toString());
        if (!Files.exists(target)) {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
