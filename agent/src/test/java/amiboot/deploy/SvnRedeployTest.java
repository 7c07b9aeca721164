package amiboot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.config.RepositoryType;
import amiboot.config.SharedConfig;
import amiboot.io.AtomicFiles;
import amiboot.pipeline.BootException;
import amiboot.testing.SvnServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.tmatesoft.svn.core.SVNDepth;
import org.tmatesoft.svn.core.SVNURL;
import org.tmatesoft.svn.core.auth.BasicAuthenticationManager;
import org.tmatesoft.svn.core.internal.wc.DefaultSVNOptions;
import org.tmatesoft.svn.core.wc.SVNClientManager;
import org.tmatesoft.svn.core.wc.SVNRevision;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A redeploy from Subversion built from the base release (current) and the changes since its
 * revision must be byte for byte the export a fresh deploy would write, while sharing (same
 * inode) every file that did not change. Against a real svnserve with password auth.
 */
class SvnRedeployTest {
  private static final String USER = "deploy";
  private static final String PASSWORD = "s3cret-Pa55";

  @TempDir Path tmp;

  private SvnServer server;
  private Path passwordFile;
  private SvnWorkingCopy wc;
  private ReleaseLayout layout;

  @BeforeEach
  void start() throws IOException {
    Path content = tmp.resolve("content");
    write(content.resolve("README"), "version 1\n");
    write(content.resolve("config/app.yml"), "name: payroll\n");
    write(content.resolve("lib/a.rb"), "class A; end\n");
    write(content.resolve("lib/b.rb"), "class B; end\n");
    write(content.resolve("lib/deep/c.rb"), "class C; end\n");
    write(content.resolve("docs/guide.txt"), "read me first\n");
    write(content.resolve("docs/old/x.txt"), "obsolete\n");
    write(content.resolve("log/.keep"), "");
    write(content.resolve("notes.txt"), "#!/bin/sh\necho notes\n");
    executable(content.resolve("script/server"), "#!/bin/sh\necho started\n");
    executable(content.resolve("bin/run"), "#!/bin/sh\necho run\n");
    Files.createSymbolicLink(content.resolve("current-readme"), Path.of("README"));
    Files.createDirectories(content.resolve("empty/dir"));
    server = SvnServer.start(tmp.resolve("svn"), content, USER, PASSWORD);
    passwordFile = tmp.resolve("scm-password");
    write(passwordFile, PASSWORD + "\n");
    wc = SvnWorkingCopy.checkout(tmp.resolve("svn/repo").toUri() + "trunk", tmp.resolve("wc"));
    wc.write("version.txt", "release $Revision$\n").propset("svn:keywords", "Revision", "version.txt")
        .write("stamp.txt", "built from $Revision$ at $URL$\n").propset("svn:keywords", "Revision URL", "stamp.txt")
        .write("lib/deep/stamp.rb", "# $HeadURL$\n").propset("svn:keywords", "HeadURL", "lib/deep/stamp.rb")
        .write("crlf.txt", "one\ntwo\n").propset("svn:eol-style", "CRLF", "crlf.txt")
        .write("native.txt", "a\r\nb\r\n").propset("svn:eol-style", "native", "native.txt")
        .write("id.txt", "$Id$ $Date$ $Author$ $LastChangedRevision$\n").propset("svn:keywords", "Id Date Author LastChangedRevision", "id.txt")
        .write("blob.bin", "$Revision$\r\n").propset("svn:mime-type", "application/octet-stream", "blob.bin")
        .propset("svn:keywords", "Revision", "blob.bin")
        .write("dir with space/naïve file.txt", "$URL$\n").propset("svn:keywords", "URL", "dir with space/naïve file.txt")
        .commit("keywords and eol-style"); // r2
    layout = new ReleaseLayout(tmp.resolve("deploy"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void redeploy_afterAddsEditsDeletesRenamesAndPropertyChanges_equalsAFullExport_sharingUnchangedFiles() throws Exception {
    Path base = deploy("20260101000000").releaseDir();
    long r3 = wc.write("lib/new.rb", "class New; end\n")
        .write("feature/x.rb", "x\n").write("feature/sub/y.rb", "y\n")
        .write("lib/a.rb", "class A; def a; end; end\n")
        .remove("lib/b.rb").remove("docs/old")
        .move("lib/deep", "lib/deeper").move("README", "README.md")
        .propset("svn:executable", "*", "notes.txt").propdel("svn:executable", "bin/run")
        .write("version.txt", "release $Revision$\nwith notes\n")
        .symlink("current-readme", "README.md")
        .remove("docs/guide.txt")
        .commit("a bit of everything");

    Path incremental = exportFrom(base, "20260101000100");
    Path full = fullExport(r3);

    assertEquals(ExportedTree.of(full, Set.of()), ExportedTree.of(incremental, Set.of()));
    assertRecordDescribes(full);
    assertRecordDescribes(incremental);
    for (String unchanged : List.of("config/app.yml", "script/server", "stamp.txt", "crlf.txt")) {
      assertSameFile(base, incremental, unchanged);
    }
    assertNotSameFile(base, incremental, "lib/a.rb");
    assertNotSameFile(base, incremental, "version.txt");
    assertEquals("release $Revision: 3 $\nwith notes\n", read(incremental.resolve("version.txt")));
    assertTrue(read(incremental.resolve("stamp.txt")).startsWith("built from $Revision: 2 $ at $URL: svn://"), "not edited: keeps r2");
    assertEquals("# $HeadURL: " + server.trunkUrl() + "/lib/deeper/stamp.rb $\n", read(incremental.resolve("lib/deeper/stamp.rb")));
    assertEquals("one\r\ntwo\r\n", read(incremental.resolve("crlf.txt")));
    assertTrue(Files.isExecutable(incremental.resolve("notes.txt")));
    assertFalse(Files.isExecutable(incremental.resolve("bin/run")));
    assertFalse(Files.exists(incremental.resolve("lib/b.rb")));
    assertFalse(Files.exists(incremental.resolve("docs/old")));
    assertFalse(Files.exists(incremental.resolve("docs/guide.txt")));
    assertTrue(Files.isDirectory(incremental.resolve("empty/dir")));
    assertEquals(Path.of("README.md"), Files.readSymbolicLink(incremental.resolve("current-readme")));
    assertEquals("read me first\n", read(base.resolve("docs/guide.txt")), "the base is never changed");
    assertEquals("", read(incremental.resolve("log/.keep")), "behind the base's shared symlink: fetched");
  }

  @Test
  void export_isWhatTheSvnCommandLineExports() throws Exception {
    Path ours = fullExport(2);
    Path theirs = tmp.resolve("svn-export");
    SvnWorkingCopy.svn(tmp, "export", "-q", "--username", USER, "--password", PASSWORD, "--no-auth-cache",
        server.trunkUrl() + "@2", theirs.toString());

    // One known difference, SVNKit's: it leaves keywords unexpanded in a file whose svn:mime-type is
    // binary, where svn 1.14 expands them. amiboot keeps SVNKit's behaviour (its releases stay as they were).
    assertEquals("$Revision$\r\n", read(ours.resolve("blob.bin")));
    assertEquals("$Revision: 2 $\r\n", read(theirs.resolve("blob.bin")));
    assertEquals(ExportedTree.of(theirs, Set.of("blob.bin")), ExportedTree.of(ours, Set.of("blob.bin")));
    assertEquals(Files.getLastModifiedTime(theirs.resolve("config/app.yml")).toMillis() / 1000,
        Files.getLastModifiedTime(ours.resolve("config/app.yml")).toMillis() / 1000, "commit time as modification time");
  }

  /** Expanding keywords, as svn does: SVNKit's client only does when asked (its default, since 1.7, is not to). */
  @Test
  void export_isWhatSvnKitsOwnClientExports_withKeywordsExpanded() throws Exception {
    Path ours = fullExport(2);
    Path theirs = tmp.resolve("svnkit-export");
    SVNClientManager manager = SVNClientManager.newInstance(new DefaultSVNOptions(),
        BasicAuthenticationManager.newInstance(USER, PASSWORD.toCharArray()));
    try {
      SVNRevision r2 = SVNRevision.create(2);
      manager.getUpdateClient().setExportExpandsKeywords(true);
      manager.getUpdateClient().doExport(SVNURL.parseURIEncoded(server.trunkUrl()), theirs.toFile(), r2, r2, null, true,
          SVNDepth.INFINITY);
    } finally {
      manager.dispose();
    }

    assertEquals(ExportedTree.of(theirs, Set.of()), ExportedTree.of(ours, Set.of()));
  }

  @Test
  void export_userInfoInTheUrl_isNotWrittenIntoKeywords() throws Exception {
    String withUser = server.trunkUrl().replace("svn://", "svn://" + USER + "@");
    Path dest = tmp.resolve("with-user");

    svn(withUser, Optional.of("2")).export(dest, Optional.empty());

    assertEquals("built from $Revision: 2 $ at $URL: " + server.trunkUrl() + "/stamp.txt $\n", read(dest.resolve("stamp.txt")));
    assertFalse(Files.readString(SvnExportRecord.fileFor(dest)).contains(USER + "@"), "nor into the record");
  }

  @Test
  void redeploy_replacingAFileByADirectory_equalsAFullExport() throws Exception {
    Path base = deploy("20260101000000").releaseDir();
    wc.remove("docs/guide.txt").commit("remove");
    long r4 = wc.write("docs/guide.txt/index.txt", "now a directory\n").commit("replace");

    Path incremental = exportFrom(base, "20260101000100");

    assertEquals(ExportedTree.of(fullExport(r4), Set.of()), ExportedTree.of(incremental, Set.of()));
    assertSameFile(base, incremental, "config/app.yml");
  }

  @Test
  void redeploy_aBaseFileEditedInPlaceAfterTheDeploy_isNotReused() throws Exception {
    Path base = deploy("20260101000000").releaseDir();
    Path edited = base.resolve("config/app.yml");
    Files.writeString(edited, "name: hacked\n");
    Files.setLastModifiedTime(edited, FileTime.fromMillis(Files.getLastModifiedTime(base.resolve("REVISION")).toMillis() + 60_000));
    Files.delete(base.resolve("lib/a.rb"));
    long r3 = wc.write("NEWS", "news\n").commit("news");

    Path incremental = exportFrom(base, "20260101000100");

    assertEquals(ExportedTree.of(fullExport(r3), Set.of()), ExportedTree.of(incremental, Set.of()));
    assertEquals("name: payroll\n", read(incremental.resolve("config/app.yml")));
    assertNotSameFile(base, incremental, "config/app.yml");
    assertEquals("name: hacked\n", read(edited), "the base's edit stays where it was made");
    assertEquals("class A; end\n", read(incremental.resolve("lib/a.rb")), "missing from the base: fetched");
    assertSameFile(base, incremental, "lib/b.rb");
  }

  @Test
  void deployTwice_throughTheDeployer_secondReleaseSharesUnchangedFiles() throws Exception {
    Deployment first = deploy("20260101000000");
    wc.write("lib/a.rb", "class A; def a; end; end\n").commit("edit");

    Deployment second = deploy("20260101000100");
    Deployment third = deploy("20260101000200");

    assertEquals("3\n", read(second.releaseDir().resolve("REVISION")));
    assertTrue(Files.isSymbolicLink(second.releaseDir().resolve("log")));
    assertSameFile(first.releaseDir(), second.releaseDir(), "config/app.yml");
    assertNotSameFile(first.releaseDir(), second.releaseDir(), "lib/a.rb");
    assertSameFile(second.releaseDir(), third.releaseDir(), "lib/a.rb");
    assertEquals(ExportedTree.of(fullExport(3), Set.of("log", "tmp")),
        ExportedTree.of(third.releaseDir(), Set.of("log", "tmp", "REVISION")));
  }

  @Test
  void redeploy_baseFromAnotherUrl_fullExport() throws Exception {
    SvnWorkingCopy.svn(tmp, "copy", "-q", "-m", "branch", tmp.resolve("svn/repo").toUri() + "trunk",
        tmp.resolve("svn/repo").toUri() + "branch");
    Path base = tmp.resolve("releases/20260101000000");
    svn("svn://127.0.0.1:" + port() + "/repo/branch", Optional.empty()).export(base, Optional.empty());
    Files.writeString(base.resolve("REVISION"), "3\n");

    Path dest = tmp.resolve("releases/20260101000100");
    svn(server.trunkUrl(), Optional.empty()).export(dest, Optional.of(new BaseRelease(base, "3")));

    assertEquals(ExportedTree.of(fullExport(3), Set.of()), ExportedTree.of(dest, Set.of()));
    assertNotSameFile(base, dest, "config/app.yml");
  }

  @Test
  void redeploy_olderRevisionThanTheBase_fullExport() throws Exception {
    wc.write("lib/a.rb", "class A; def a; end; end\n").commit("edit");
    Path base = deploy("20260101000000").releaseDir();

    Path dest = tmp.resolve("r2");
    svn(server.trunkUrl(), Optional.of("2")).export(dest, Optional.of(new BaseRelease(base, "3")));

    assertEquals(ExportedTree.of(fullExport(2), Set.of()), ExportedTree.of(dest, Set.of()));
    assertNotSameFile(base, dest, "config/app.yml");
  }

  @Test
  void redeploy_recordTornOrMissing_fullExport() throws Exception {
    Path base = deploy("20260101000000").releaseDir();
    Path record = SvnExportRecord.fileFor(base);
    List<String> lines = Files.readAllLines(record);
    Files.write(record, lines.subList(0, lines.size() - 1));

    Path torn = exportFrom(base, "20260101000100");
    Files.delete(record);
    Path missing = exportFrom(base, "20260101000200");

    assertNotSameFile(base, torn, "config/app.yml");
    assertNotSameFile(base, missing, "config/app.yml");
    assertEquals(ExportedTree.of(fullExport(2), Set.of()), ExportedTree.of(missing, Set.of()));
  }

  @Test
  void recordsOfReleasesThatAreGone_areRemoved() throws Exception {
    Deployment first = deploy("20260101000000");
    deploy("20260101000100");
    AtomicFiles.deleteTree(first.releaseDir());

    deploy("20260101000200");

    assertFalse(Files.exists(SvnExportRecord.fileFor(first.releaseDir())));
    assertTrue(Files.exists(SvnExportRecord.fileFor(layout.release("20260101000200"))));
  }

  @Test
  void externals_alwaysAFullExport_withTheirContent() throws Exception {
    wc.propset("svn:externals", "^/trunk/lib vendor-lib", ".").commit("externals"); // r3
    Deployment first = deploy("20260101000000");
    wc.write("lib/a.rb", "class A; def a; end; end\n").commit("edit"); // r4

    Deployment second = deploy("20260101000100");

    assertEquals("class A; end\n", read(first.releaseDir().resolve("vendor-lib/a.rb")));
    assertEquals("class A; def a; end; end\n", read(second.releaseDir().resolve("vendor-lib/a.rb")));
    assertNotSameFile(first.releaseDir(), second.releaseDir(), "config/app.yml");
  }

  private Deployment deploy(String releaseId) throws BootException {
    SharedConfig shared = new SharedConfig(List.of("log", "tmp/pids"), List.of());
    Deployer deployer = new Deployer(layout, shared, 5, Clock.systemUTC());
    return deployer.deploy(svn(server.trunkUrl(), Optional.empty()), releaseId, "tester");
  }

  /** What the Deployer would build for {@code releaseId} with {@code base} as current, before it adds REVISION and shared links. */
  private Path exportFrom(Path base, String releaseId) throws Exception {
    Path dest = layout.staging(releaseId);
    String revision = read(base.resolve("REVISION")).strip();
    svn(server.trunkUrl(), Optional.empty()).export(dest, Optional.of(new BaseRelease(base, revision)));
    return dest;
  }

  private Path fullExport(long revision) throws Exception {
    Path dest = tmp.resolve("full-" + revision + "-" + System.nanoTime());
    svn(server.trunkUrl(), Optional.of(Long.toString(revision))).export(dest, Optional.empty());
    return dest;
  }

  private SvnSource svn(String url, Optional<String> revision) throws BootException {
    return new SvnSource(new SourceSpec(RepositoryType.SVN, url, Optional.of(USER), Optional.of(passwordFile),
        Optional.empty(), revision));
  }

  private String port() {
    return server.trunkUrl().replaceAll(".*:(\\d+)/.*", "$1");
  }

  /** The record written during the export lists exactly what is on disk (parents first, so a redeploy can rebuild it). */
  private static void assertRecordDescribes(Path export) throws IOException {
    SvnManifest manifest = SvnExportRecord.readFor(export).orElseThrow().manifest();
    assertEquals(ExportedTree.manifest(export), Set.copyOf(manifest.entries()));
    assertEquals(manifest.entries().size(), Set.copyOf(manifest.entries()).size(), "no path twice");
    Set<String> seen = new java.util.HashSet<>();
    for (SvnManifest.Entry e : manifest.entries()) {
      String parent = SvnChanges.parent(e.path());
      assertTrue(parent.isEmpty() || seen.contains(parent), e.path() + " listed before its directory");
      seen.add(e.path());
    }
  }

  private static void assertSameFile(Path base, Path release, String path) throws IOException {
    assertEquals(ExportedTree.inode(base.resolve(path)), ExportedTree.inode(release.resolve(path)), path + ": the base's file, linked");
  }

  private static void assertNotSameFile(Path base, Path release, String path) throws IOException {
    assertNotEquals(ExportedTree.inode(base.resolve(path)), ExportedTree.inode(release.resolve(path)), path + ": written afresh");
  }

  private static void executable(Path file, String text) throws IOException {
    write(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
