package amiboot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** deploy_to/releases.json: what it records, what it reads back, and what it makes of a damaged file. */
class ReleaseIndexTest {
  /** As amiboot has written it since releases were first marked (Jackson's default pretty printer). */
  private static final String TWO_RELEASES = """
      {
        "version" : 1,
        "releases" : {
          "20261201000000" : {
            "status" : "good",
            "marked_at" : "2026-12-01T00:00:00Z"
          },
          "20261202000000" : {
            "status" : "failed",
            "marked_at" : "2026-12-02T00:00:00Z"
          }
        }
      }""";

  @TempDir Path deployTo;
  private ReleaseIndex index;

  @BeforeEach
  void setUp() {
    index = new ReleaseIndex(new ReleaseLayout(deployTo));
  }

  @Test
  void marks_areWrittenInTheFileFormat_andReadBack() throws Exception {
    index.mark("20261201000000", ReleaseStatus.GOOD, Instant.parse("2026-12-01T00:00:00Z"));
    index.mark("20261202000000", ReleaseStatus.FAILED, Instant.parse("2026-12-02T00:00:00Z"));

    assertEquals(TWO_RELEASES, Files.readString(index.file()));
    assertEquals(Map.of("20261201000000", ReleaseStatus.GOOD, "20261202000000", ReleaseStatus.FAILED), index.statuses());
  }

  @Test
  void aFileWrittenBefore_isRead_andAMarkKeepsTheOtherEntriesAsTheyWere() throws Exception {
    Files.writeString(index.file(), TWO_RELEASES);

    index.mark("20261203000000", ReleaseStatus.UNCHECKED, Instant.parse("2026-12-03T00:00:00Z"));

    assertEquals(Map.of("20261201000000", ReleaseStatus.GOOD, "20261202000000", ReleaseStatus.FAILED,
        "20261203000000", ReleaseStatus.UNCHECKED), index.statuses());
    assertEquals(TWO_RELEASES.substring(0, TWO_RELEASES.length() - 6) + """
        ,
            "20261203000000" : {
              "status" : "unchecked",
              "marked_at" : "2026-12-03T00:00:00Z"
            }
          }
        }""", Files.readString(index.file()));
  }

  @Test
  void forget_removesOnlyTheNamedReleases() throws Exception {
    Files.writeString(index.file(), TWO_RELEASES);

    index.forget(List.of("20261201000000", "20260101000000"), Instant.parse("2026-12-03T00:00:00Z"));

    assertEquals(Map.of("20261202000000", ReleaseStatus.FAILED), index.statuses());
  }

  @Test
  void unknownFieldsAndOddEntries_areSkipped_andUnknownStatusesAreUnchecked() throws Exception {
    Files.writeString(index.file(), """
        {"version": 2, "note": {"a": [1, 2]}, "releases": {
          "r1": {"status": "good", "checked_by": {"x": 1}, "marked_at": "2026-12-01T00:00:00Z"},
          "r2": "good",
          "r3": {"status": "splendid"},
          "r4": {}
        }, "after": true}""");

    assertEquals(Map.of("r1", ReleaseStatus.GOOD, "r2", ReleaseStatus.UNCHECKED, "r3", ReleaseStatus.UNCHECKED,
        "r4", ReleaseStatus.UNCHECKED), index.statuses());
  }

  @Test
  void aStatusOrDateThatIsNotText_isSkippedWhole_andTheReleasesAfterItAreRead() throws Exception {
    Files.writeString(index.file(), """
        {"releases": {
          "r1": {"status": {"x": 1, "status": "good"}, "marked_at": ["2026", {"y": 2}]},
          "r2": {"status": "failed", "marked_at": "2026-12-02T00:00:00Z"}
        }}""");

    assertEquals(Map.of("r1", ReleaseStatus.UNCHECKED, "r2", ReleaseStatus.FAILED), index.statuses());
  }

  @Test
  void aMark_keepsWhatItDoesNotKnowInTheOtherEntries() throws Exception {
    Files.writeString(index.file(), """
        {"version": 1, "releases": {
          "r1": {"status": "good", "checked_by": {"probe": "http", "polls": [1, 2]}, "marked_at": "2026-12-01T00:00:00Z"},
          "r2": "good"
        }}""");

    index.mark("r3", ReleaseStatus.FAILED, Instant.parse("2026-12-03T00:00:00Z"));

    String written = Files.readString(index.file());
    assertEquals("""
        {
          "version" : 1,
          "releases" : {
            "r1" : {
              "status" : "good",
              "checked_by" : {
                "probe" : "http",
                "polls" : [ 1, 2 ]
              },
              "marked_at" : "2026-12-01T00:00:00Z"
            },
            "r2" : "good",
            "r3" : {
              "status" : "failed",
              "marked_at" : "2026-12-03T00:00:00Z"
            }
          }
        }""", written);
  }

  @Test
  void aDamagedFile_countsAsEmpty_saysSo_andTheNextMarkSetsItAsideUnchanged() throws Exception {
    String half = TWO_RELEASES.substring(0, 90); // half a file, as a disk failing under it could leave
    Files.writeString(index.file(), half);

    assertEquals(Map.of(), index.statuses());
    assertEquals(Optional.of(index.file() + " is unreadable (not JSON at line 6: Unexpected end-of-input within/between Object entries),"
        + " so every release counts as unchecked; the next deploy sets it aside"), index.trouble());

    index.mark("20261203000000", ReleaseStatus.GOOD, Instant.parse("2026-12-03T04:05:06Z"));

    Path setAside = deployTo.resolve("releases.json.unreadable-20261203040506");
    assertEquals(half, Files.readString(setAside), "the damaged index kept as it was");
    assertEquals(Map.of("20261203000000", ReleaseStatus.GOOD), index.statuses());
    assertEquals(Optional.of("an unreadable releases.json was set aside as " + setAside
        + ", so releases marked before then count as unchecked"), index.trouble());
  }

  @ParameterizedTest
  @ValueSource(strings = {"garbage", "[1, 2]", "{\"releases\": \"all good\"}", "{\"releases\": {\"2026\": }"})
  void whatIsNotAnIndex_isSetAsideByAForgetToo(String text) throws Exception {
    Files.writeString(index.file(), text);
    assertTrue(index.trouble().orElseThrow().contains(" is unreadable ("), index.trouble().toString());

    index.forget(List.of("20261201000000"), Instant.parse("2026-12-03T04:05:06Z"));

    assertEquals(text, Files.readString(deployTo.resolve("releases.json.unreadable-20261203040506")));
    assertEquals(Map.of(), index.statuses());
  }

  @Test
  void aReadableIndex_hasNoTrouble() throws Exception {
    Files.writeString(index.file(), TWO_RELEASES);

    assertEquals(Optional.empty(), index.trouble());
  }

  @Test
  void noFile_isEmpty() throws Exception {
    assertEquals(Map.of(), index.statuses());
    assertEquals(Optional.empty(), index.trouble());
  }
}
