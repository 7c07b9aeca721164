package amiboot.hosts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostsFileTest {

  private static final List<HostsEntry> DBHOST = List.of(new HostsEntry("10.126.17.1", "dbhost"));

  /** A stock Debian/Ubuntu /etc/hosts, with tabs, blank lines and comments. */
  private static final String STOCK = """
      127.0.0.1\tlocalhost
      127.0.1.1\tip-10-0-0-12.ec2.internal ip-10-0-0-12

      # The following lines are desirable for IPv6 capable hosts
      ::1     ip6-localhost ip6-loopback
      fe00::0 ip6-localnet
      ff02::1 ip6-allnodes   # all nodes
      """;

  /** Merges, checks the exact result, and checks that merging the result again changes nothing. */
  private static void assertMerge(String input, List<HostsEntry> entries, String expected) {
    String once = HostsFile.merge(input, entries);
    assertEquals(expected, once);
    assertEquals(expected, HostsFile.merge(once, entries), "second merge must be identical");
  }

  // --- merge: golden cases ---

  @Test
  void merge_entryAbsent_appendedAndEverythingElseKeptByteForByte() {
    assertMerge(STOCK, DBHOST, STOCK + "10.126.17.1 dbhost\n");
  }

  @Test
  void merge_entryAbsentNoTrailingNewline_appendedOnItsOwnLine() {
    assertMerge("127.0.0.1 localhost", DBHOST, "127.0.0.1 localhost\n10.126.17.1 dbhost\n");
  }

  @Test
  void merge_handWrittenEntry_replacedInPlace() {
    String input = "127.0.0.1 localhost\n10.0.0.5 dbhost\n10.0.0.9 other\n";

    assertMerge(input, DBHOST, "127.0.0.1 localhost\n10.126.17.1 dbhost\n10.0.0.9 other\n");
  }

  @Test
  void merge_handWrittenEntryWithTabsAndTrailingComment_replacedInPlace() {
    String input = "127.0.0.1\tlocalhost\n  10.0.0.5\t\tdbhost\t# database, set by hand\n# end\n";

    assertMerge(input, DBHOST, "127.0.0.1\tlocalhost\n10.126.17.1 dbhost\n# end\n");
  }

  @Test
  void merge_lineWithOtherNamesAndComment_otherNamesKeptOnOwnLineAfterEntry() {
    String input = "127.0.0.1 localhost\n10.0.0.5 dbhost db.internal # old\n10.0.0.9 other\n";

    assertMerge(input, DBHOST,
        "127.0.0.1 localhost\n10.126.17.1 dbhost\n10.0.0.5 db.internal # old\n10.0.0.9 other\n");
  }

  @Test
  void merge_nameBetweenOtherNames_otherNamesKeptInOrder() {
    String input = "10.0.0.5 db1 dbhost db2\n";

    assertMerge(input, DBHOST, "10.126.17.1 dbhost\n10.0.0.5 db1 db2\n");
  }

  @Test
  void merge_nameOnTwoLines_firstPositionWinsSecondLosesName() {
    String input = "10.0.0.5 dbhost\n127.0.0.1 localhost\n10.0.0.6 dbhost backup\n10.0.0.7 dbhost\n";

    assertMerge(input, DBHOST, "10.126.17.1 dbhost\n127.0.0.1 localhost\n10.0.0.6 backup\n");
  }

  @Test
  void merge_nameAsSubstringOfOtherNames_untouched() {
    String input = "10.0.0.7 mydbhost\n10.0.0.8 dbhost.example.com dbhost2\n";

    assertMerge(input, DBHOST, input + "10.126.17.1 dbhost\n");
  }

  @Test
  void merge_commentedOutEntry_keptAndNotCounted() {
    String input = "# 10.0.0.1 dbhost\n127.0.0.1 localhost\n#10.0.0.2 dbhost\n";

    assertMerge(input, DBHOST, input + "10.126.17.1 dbhost\n");
  }

  @Test
  void merge_nameOnlyInsideTrailingComment_notCounted() {
    String input = "10.0.0.5 db.internal # was dbhost\n";

    assertMerge(input, DBHOST, input + "10.126.17.1 dbhost\n");
  }

  @Test
  void merge_alreadyPresent_sameString() {
    String input = STOCK + "10.126.17.1 dbhost\n";

    assertEquals(input, HostsFile.merge(input, DBHOST));
  }

  @Test
  void merge_alreadyPresentWithoutTrailingNewline_returnedUnchanged() {
    String input = "127.0.0.1 localhost\n10.126.17.1 dbhost";

    assertEquals(input, HostsFile.merge(input, DBHOST));
  }

  @Test
  void merge_emptyInput_justTheEntry() {
    assertMerge("", DBHOST, "10.126.17.1 dbhost\n");
  }

  @Test
  void merge_noEntries_inputUnchanged() {
    assertEquals(STOCK, HostsFile.merge(STOCK, List.of()));
  }

  @Test
  void merge_twoEntries_eachPlacedOnceInConfigOrder() {
    List<HostsEntry> entries = List.of(new HostsEntry("10.126.17.1", "dbhost"), new HostsEntry("10.126.17.2", "cache"));
    String input = "127.0.0.1 localhost\n10.0.0.3 cache\n";

    assertMerge(input, entries, "127.0.0.1 localhost\n10.126.17.2 cache\n10.126.17.1 dbhost\n");
  }

  @Test
  void merge_ipv6Entry_replacesOldAddress() {
    List<HostsEntry> entries = List.of(new HostsEntry("2001:db8::5", "dbhost"));

    assertMerge("::1 localhost\n2001:db8::1 dbhost\n", entries, "::1 localhost\n2001:db8::5 dbhost\n");
  }

  @Test
  void merge_nameInOtherCase_isReplaced() {
    assertMerge("127.0.0.1 localhost\n10.0.0.5 DBHost\n", DBHOST, "127.0.0.1 localhost\n10.126.17.1 dbhost\n");
  }

  // --- HostsUpdate on real files ---

  private static List<String> namesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void apply_entryMissing_writesFileKeepsPermissionsLeavesNoTempFiles(@TempDir Path dir) throws Exception {
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, STOCK, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(hosts, PosixFilePermissions.fromString("rw-r-----"));

    HostsUpdate.Change change = HostsUpdate.apply(hosts, DBHOST);

    assertTrue(change.changed());
    assertEquals(STOCK, change.before());
    assertEquals(STOCK + "10.126.17.1 dbhost\n", Files.readString(hosts, StandardCharsets.UTF_8));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(hosts)));
    assertEquals(List.of("hosts"), namesIn(dir));
  }

  @Test
  void apply_secondRun_unchangedAndFileNotRewritten(@TempDir Path dir) throws Exception {
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, STOCK, StandardCharsets.UTF_8);
    HostsUpdate.apply(hosts, DBHOST);
    FileTime past = FileTime.fromMillis(1_262_304_000_000L); // 2010-01-01, well before this run
    Files.setLastModifiedTime(hosts, past);
    byte[] bytes = Files.readAllBytes(hosts);
    Object inode = Files.getAttribute(hosts, "unix:ino");

    HostsUpdate.Change change = HostsUpdate.apply(hosts, DBHOST);

    assertFalse(change.changed());
    assertArrayEquals(bytes, Files.readAllBytes(hosts));
    assertEquals(inode, Files.getAttribute(hosts, "unix:ino"));
    assertEquals(past, Files.getLastModifiedTime(hosts));
    assertEquals(List.of("hosts"), namesIn(dir));
  }

  @Test
  void apply_changed_replacesFileAtomicallyWithNewInode(@TempDir Path dir) throws Exception {
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, "127.0.0.1 localhost\n10.0.0.5 dbhost\n", StandardCharsets.UTF_8);
    Object inode = Files.getAttribute(hosts, "unix:ino");

    HostsUpdate.apply(hosts, DBHOST);

    assertEquals("127.0.0.1 localhost\n10.126.17.1 dbhost\n", Files.readString(hosts, StandardCharsets.UTF_8));
    assertFalse(inode.equals(Files.getAttribute(hosts, "unix:ino")), "renamed over (a new inode), not written in place");
  }

  @Test
  void apply_missingFile_created(@TempDir Path dir) throws Exception {
    Path hosts = dir.resolve("hosts");

    HostsUpdate.Change change = HostsUpdate.apply(hosts, DBHOST);

    assertTrue(change.changed());
    assertEquals("10.126.17.1 dbhost\n", Files.readString(hosts, StandardCharsets.UTF_8));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(hosts)));
    assertEquals(List.of("hosts"), namesIn(dir));
  }

  @Test
  void preview_showsChangeWithoutWriting(@TempDir Path dir) throws Exception {
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, STOCK, StandardCharsets.UTF_8);
    byte[] bytes = Files.readAllBytes(hosts);

    HostsUpdate.Change change = HostsUpdate.preview(hosts, DBHOST);

    assertTrue(change.changed());
    assertEquals(STOCK + "10.126.17.1 dbhost\n", change.after());
    assertArrayEquals(bytes, Files.readAllBytes(hosts));
  }

  // --- addresses ---

  @ParameterizedTest
  @ValueSource(strings = {"10.126.17.1", "0.0.0.0", "255.255.255.255", "::1", "fe80::1", "2001:db8::5",
      "2001:0db8:0000:0000:0000:0000:0000:0005"})
  void isAddress_ipLiterals_true(String text) {
    assertTrue(HostsEntry.isAddress(text), text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2.3.4 evil", "1.2.3.4\n", " 1.2.3.4", "256.1.1.1", "example.com", "$(reboot)", "",
      "1.2.3", "1.2.3.4.5", "1.2.3.4;reboot", "fe80::1 evil", "fe80::1%eth0", "::g", "1::2::3", "localhost"})
  void isAddress_anythingElse_false(String text) {
    assertFalse(HostsEntry.isAddress(text), text);
  }

  @Test
  void render_addressSpaceName() {
    assertEquals("10.126.17.1 dbhost", new HostsEntry("10.126.17.1", "dbhost").render());
  }
}
