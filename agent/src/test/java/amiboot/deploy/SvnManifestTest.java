package amiboot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SvnManifestTest {
  @Test
  void entries_roundTripThroughTheirLines() {
    for (SvnManifest.Entry e : List.of(SvnManifest.Entry.dir("lib/deep"), SvnManifest.Entry.link("current-readme"),
        SvnManifest.Entry.file("dir with space/naïve file.txt", 12345678901L, true), SvnManifest.Entry.file("a", 0, false))) {
      StringBuilder line = new StringBuilder();
      e.appendTo(line);
      assertEquals(Optional.of(e), SvnManifest.Entry.parse(line.toString().stripTrailing()));
    }
  }

  @Test
  void linesThatAreNotEntries_orPathsLeavingTheTree_areRefused() {
    for (String line : List.of("", "d", "d\t", "x\ta", "f\t12\tx", "f\tabc\tx\ta", "f\t1\ty\ta", "d\t../etc", "d\t/etc",
        "l\ta//b", "f\t1\t-\ta/./b", "d\ta\tb", "f\t1\t-\t")) {
      assertTrue(SvnManifest.Entry.parse(line).isEmpty(), line);
    }
  }

  @Test
  void treeOrder_keepsEachDirectoryTogether_andDropsPathsInsideReportedOnes() {
    assertEquals(List.of("lib/a", "lib/deep", "lib-x", "lib.rb", "z"),
        SvnExportWriter.treeOrder(List.of("z", "lib-x", "lib/deep/c.rb", "lib.rb", "lib/a", "lib/deep", "z")));
  }
}
