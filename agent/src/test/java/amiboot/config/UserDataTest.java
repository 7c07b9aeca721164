package amiboot.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amiboot.config.UserData.UserDataException;
import amiboot.metadata.RawUserData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class UserDataTest {

  private static final Map<String, String> SEED = Map.of("DB", "10.126.17.1", "ROLE", "app");

  private static void assertSeedValues(UserData data) {
    assertEquals(List.of("DB", "ROLE"), new ArrayList<>(data.values().keySet()));
    assertEquals(SEED, data.values());
  }

  private static String rejected(String text) {
    return assertThrows(UserDataException.class, () -> UserData.parse(text)).getMessage();
  }

  private static void assertContains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), () -> "expected '" + part + "' in: " + message);
    }
  }

  private static void assertNoRawControlCharacters(String message) {
    assertFalse(message.chars().anyMatch(c -> c < 0x20 || c == 0x7f), () -> "raw control character in: " + message);
  }

  // --- accepted forms ---

  @Test
  void parse_seedFormat_givesBothKeys() throws Exception {
    assertSeedValues(UserData.parse("DB=10.126.17.1;ROLE=app"));
  }

  @Test
  void parse_newlineSeparatedPairs_givesBothKeys() throws Exception {
    assertSeedValues(UserData.parse("DB=10.126.17.1\nROLE=app\n"));
  }

  @Test
  void parse_crlfSeparatedPairs_givesBothKeysWithoutCarriageReturn() throws Exception {
    assertSeedValues(UserData.parse("DB=10.126.17.1\r\nROLE=app\r\n"));
  }

  @Test
  void parse_spacesAroundEqualsAndTrailingSemicolon_givesBothKeys() throws Exception {
    assertSeedValues(UserData.parse("  DB = 10.126.17.1 ; ROLE= app;"));
  }

  @Test
  void parse_commentLinesInPairs_areIgnored() throws Exception {
    assertSeedValues(UserData.parse("# x\nDB=10.126.17.1\n# database first, then the role\nROLE=app\n"));
  }

  @Test
  void parse_byteOrderMark_isIgnored() throws Exception {
    assertSeedValues(UserData.parse("\uFEFFDB=10.126.17.1;ROLE=app"));
  }

  @Test
  void parse_valueWithEquals_keepsEverythingAfterFirstEquals() throws Exception {
    UserData data = UserData.parse("URL=http://h/?a=b;ROLE=app");

    assertEquals(Map.of("URL", "http://h/?a=b", "ROLE", "app"), data.values());
  }

  @Test
  void parse_valueWithInnerSpace_isAcceptedAsIs() throws Exception {
    UserData data = UserData.parse("DB=1.2.3.4 evil;ROLE=app");

    assertEquals("1.2.3.4 evil", data.values().get("DB"));
    assertEquals("app", data.values().get("ROLE"));
  }

  @Test
  void parse_yamlMapping_givesBothKeys() throws Exception {
    assertSeedValues(UserData.parse("DB: 10.126.17.1\nROLE: app"));
  }

  @Test
  void parse_yamlFlowMapping_givesBothKeys() throws Exception {
    assertSeedValues(UserData.parse("{DB: 10.126.17.1, ROLE: app}"));
  }

  @Test
  void parse_cloudConfigWithAmibootSection_givesThatMapping() throws Exception {
    String text = """
        #cloud-config
        packages: [nginx]
        runcmd:
          - [sh, -c, "echo hello"]
        amiboot:
          DB: 10.126.17.1
          ROLE: app
        """;

    assertSeedValues(UserData.parse(text));
  }

  @Test
  void parse_cloudConfigWithoutAmibootSection_isEmpty() throws Exception {
    UserData data = UserData.parse("#cloud-config\npackages: [nginx]\n");

    assertTrue(data.isEmpty());
    assertEquals(Map.of(), data.values());
  }

  @Test
  void parse_cloudConfigAmibootNotMapping_isRejected() {
    String message = rejected("#cloud-config\namiboot: [DB, ROLE]\n");

    assertContains(message, "amiboot: section must be a mapping");
  }

  @Test
  void parse_shellScript_isEmpty() throws Exception {
    UserData data = UserData.parse("#!/bin/sh\nDB=10.126.17.1\necho hi > /tmp/x\n");

    assertTrue(data.isEmpty());
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "   ", "\n\n", " \r\n\t\n", "# only a comment\n"})
  void parse_nullBlankOrOnlyComments_isEmpty(String text) throws Exception {
    UserData data = UserData.parse(text);

    assertTrue(data.isEmpty());
  }

  @Test
  void parse_valueOfExactlyMaxLength_isAccepted() throws Exception {
    String value = "x".repeat(4096);

    assertEquals(value, UserData.parse("DB=" + value).values().get("DB"));
  }

  // --- rejected ---

  @Test
  void parse_itemWithoutEquals_isRejectedNamingIt() {
    String message = rejected("DB=1.2.3.4\nevil;ROLE=app");

    assertContains(message, "item 2 'evil' is not KEY=VALUE");
  }

  @Test
  void parse_itemWithoutEqualsHoldingControlCharacter_echoesItEscaped() {
    String message = rejected("DB=1.2.3.4;ev\u0007il\tx");

    assertContains(message, "'ev\\x07il\\x09x' is not KEY=VALUE");
    assertNoRawControlCharacters(message);
  }

  @Test
  void parse_yamlValueWithNewline_isRejected() {
    String message = rejected("DB: \"1.2.3.4\\nevil\"\nROLE: app\n");

    assertContains(message, "DB holds a control character", "one line");
    assertNoRawControlCharacters(message);
  }

  @Test
  void parse_tabInsideValue_isRejected() {
    String message = rejected("DB=1.2.3.4\tevil;ROLE=app");

    assertContains(message, "DB holds a control character");
    assertNoRawControlCharacters(message);
  }

  @Test
  void parse_escapeCharacterInsideValue_isRejected() {
    String message = rejected("ROLE=app\u001b[2J");

    assertContains(message, "ROLE holds a control character");
    assertNoRawControlCharacters(message);
  }

  @Test
  void parse_duplicateKeyInPairs_isRejected() {
    String message = rejected("DB=10.126.17.1;ROLE=app;DB=10.0.0.1");

    assertContains(message, "DB is given twice");
  }

  @Test
  void parse_duplicateKeyInYaml_isRejected() {
    String message = rejected("DB: 10.126.17.1\nROLE: app\nDB: 10.0.0.1\n");

    assertContains(message, "duplicate key 'DB'", "line 3");
  }

  @Test
  void parse_secondYamlDocument_isRejectedNamingItsLine() {
    String message = rejected("DB: 10.126.17.1\n---\nROLE: app\n");

    assertContains(message, "more than one YAML document", "line 3");
  }

  @Test
  void parse_cloudConfigWithSecondDocument_isRejected() {
    String message = rejected("#cloud-config\namiboot:\n  ROLE: app\n---\namiboot:\n  ROLE: job\n");

    assertContains(message, "more than one YAML document", "line 5");
  }

  @Test
  void parse_keyStartingWithDigitAfterFirstPair_isRejectedNamingIt() {
    String message = rejected("DB=10.126.17.1;1BAD=x");

    assertContains(message, "'1BAD' is not a variable name");
  }

  @Test
  void parse_keyStartingWithDigitAlone_isRejected() {
    assertThrows(UserDataException.class, () -> UserData.parse("1BAD=x"));
  }

  @Test
  void parse_keyStartingWithDigitFirst_messageNamesKey() {
    String message = rejected("1BAD=x;ROLE=app");

    assertContains(message, "'1BAD' is not a variable name");
  }

  @Test
  void parse_yamlKeyWithNewline_echoedEscaped() {
    String message = rejected("\"A\\nB\": x\nROLE: app\n");

    assertContains(message, "'A\\x0aB' is not a variable name");
    assertNoRawControlCharacters(message);
  }

  @Test
  void parse_nestedYamlValue_isRejected() {
    String message = rejected("DB:\n  host: 10.126.17.1\nROLE: app\n");

    assertContains(message, "DB must be a single value, not a list or mapping");
  }

  @Test
  void parse_yamlListValue_isRejected() {
    String message = rejected("ROLE: [app, job]\n");

    assertContains(message, "ROLE must be a single value");
  }

  @Test
  void parse_valueLongerThan4096_isRejected() {
    String message = rejected("DB=" + "x".repeat(4097) + ";ROLE=app");

    assertContains(message, "DB is longer than 4096 characters");
    assertTrue(message.length() < 200, () -> "message echoes the long value: " + message.length() + " chars");
  }

  @Test
  void parse_severalProblems_allListed() {
    UserDataException e = assertThrows(UserDataException.class,
        () -> UserData.parse("DB=1.2.3.4\tx;oops;ROLE=app;ROLE=job"));

    assertEquals(3, e.problems().size(), e.getMessage());
    assertContains(e.getMessage(), "DB holds a control character", "'oops' is not KEY=VALUE", "ROLE is given twice");
  }

  @Test
  void parse_plainTextNotPairsNorMapping_isRejected() {
    String message = rejected("just some words\n");

    assertContains(message, "not KEY=VALUE pairs and not a YAML mapping");
  }

  @Test
  void parse_commentLineWithSemicolon_isIgnoredWhole() throws Exception {
    UserData data = UserData.parse("# was: DB=10.0.0.1;ROLE=job\nDB=10.126.17.1;ROLE=app\n");

    assertSeedValues(data);
  }

  @Test
  void parse_yamlAlias_isRefusedNamingItsLine_notReadAsTheAnchorName() {
    String message = rejected("DB: &app 10.126.17.1\nROLE: *app\n");

    assertContains(message, "line 2: YAML aliases (*app) are not supported");
  }

  @Test
  void parse_cloudConfigWithAliasInAmibootSection_isRefused() {
    String message = rejected("#cloud-config\nbase: &b app\namiboot:\n  DB: 10.126.17.1\n  ROLE: *b\n");

    assertContains(message, "line 5: YAML aliases (*b) are not supported");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', textBlock = """
      0085 | U+0085 NEXT LINE (NEL)
      2028 | U+2028 LINE SEPARATOR
      2029 | U+2029 PARAGRAPH SEPARATOR
      202e | U+202E RIGHT-TO-LEFT OVERRIDE
      200b | U+200B ZERO WIDTH SPACE
      e000 | U+E000
      """)
  void parse_valueWithACharacterThatDoesNotPrint_isRejectedNamingIt(String hex, String named) {
    String c = Character.toString(Integer.parseInt(hex, 16));

    String pairs = rejected("DB=10.126" + c + ".17.1;ROLE=app");
    // YAML reads a raw U+0085, U+2028 or U+2029 as a line break; its backslash-u escape gives the character itself.
    String yaml = rejected("DB: \"10.126\\u" + hex + ".17.1\"\nROLE: app\n");

    for (String message : List.of(pairs, yaml)) {
      assertTrue(message.startsWith("DB holds " + (hex.equals("0085") ? "a control character" : named)), message);
      assertFalse(message.contains(c), "echoed raw: " + message);
    }
  }

  @Test
  void parse_itemWithLineSeparator_isEchoedEscaped() {
    String message = rejected("DB=10.126.17.1;ev\u2028il\u202e;ROLE=app");

    assertContains(message, "item 2 'ev\\u2028il\\u202e' is not KEY=VALUE");
  }

  @Test
  void parse_printableTextBeyondAscii_isAccepted() throws Exception {
    assertEquals("caf\u00e9 \u65e5\u672c \ud83d\ude80", UserData.parse("NAME=caf\u00e9 \u65e5\u672c \ud83d\ude80").values().get("NAME"));
  }

  // --- as the metadata service serves it: bytes ---

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }

  private static String rejected(RawUserData raw) {
    return assertThrows(UserDataException.class, () -> UserData.parse(raw)).getMessage();
  }

  @Test
  void parse_gzipCompressedUserData_isInflatedFirst() throws Exception {
    byte[] cloudConfig = "#cloud-config\namiboot: { DB: 10.126.17.1, ROLE: app }\n".getBytes(StandardCharsets.UTF_8);

    assertSeedValues(UserData.parse(new RawUserData(gzip(cloudConfig))));
    assertSeedValues(UserData.parse(new RawUserData(gzip("DB=10.126.17.1;ROLE=app".getBytes(StandardCharsets.UTF_8)))));
  }

  @Test
  void parse_gzipInflatingPastOneMiB_isRejected_withoutInflatingAll() throws Exception {
    byte[] bomb = gzip(new byte[64 << 20]); // 64 MiB of zeros: some 64 KB of gzip

    assertContains(rejected(new RawUserData(bomb)), "it is gzip that inflates to more than 1 MiB");
  }

  @Test
  void parse_gzipAtExactlyOneMiB_isAccepted() throws Exception {
    byte[] pairs = ("DB=10.126.17.1;ROLE=app\n#" + "x".repeat(RawUserData.MAX_BYTES - 26) + "\n").getBytes(StandardCharsets.UTF_8);
    assertEquals(RawUserData.MAX_BYTES, pairs.length);

    assertSeedValues(UserData.parse(new RawUserData(gzip(pairs))));
  }

  @Test
  void parse_truncatedGzip_isRejectedSayingSo() throws Exception {
    byte[] whole = gzip("DB=10.126.17.1;ROLE=app".getBytes(StandardCharsets.UTF_8));

    assertContains(rejected(new RawUserData(Arrays.copyOf(whole, whole.length - 6))),
        "it starts as gzip does (1f 8b) but cannot be inflated");
  }

  @Test
  void parse_notUtf8_namesTheByte_alsoOnceInflated() throws Exception {
    byte[] latin1 = "DB=10.126.17.1\nNAME=caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);

    assertEquals("it is not valid UTF-8 at byte 23 (line 2): give UTF-8 text", rejected(new RawUserData(latin1)));
    assertEquals("it is not valid UTF-8 at byte 23 (line 2) once inflated: give UTF-8 text", rejected(new RawUserData(gzip(latin1))));
  }
}
