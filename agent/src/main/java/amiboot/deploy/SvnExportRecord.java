package amiboot.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a release exported from Subversion holds and where it came from, kept beside the release
 * ({@code releases/.<release>.svn-export}) so that the next deploy can ask the server for the
 * changes since then instead of the whole tree. An export does not carry this itself (no .svn),
 * and the base release alone cannot tell which URL it came from nor which of its files the app
 * added. Anything unexpected in the record (missing, truncated, another format, made for another
 * directory) makes it unusable, and the deploy falls back to a full export.
 */
record SvnExportRecord(SvnOrigin origin, long revision, long dirInode, SvnManifest manifest) {
  private static final String HEADER = "amiboot svn export 1";
  private static final String SUFFIX = ".svn-export";
  private static final String STAGING_SUFFIX = ".partial";

  /** The record of the export in {@code dir}, if there is one made for this very directory. */
  static Optional<SvnExportRecord> readFor(Path dir) {
    try {
      List<String> lines = Files.readAllLines(fileFor(dir), StandardCharsets.UTF_8);
      long inode = inode(dir);
      return parse(lines).filter(r -> inode >= 0 && inode == r.dirInode());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Describes the export just written to {@code dir} (it keeps its inode when renamed into place).
   * Paths are not checked here: one that does not fit a line makes the record unreadable, and the
   * next deploy a full export.
   */
  static Optional<SvnExportRecord> of(Path dir, SvnOrigin origin, long revision, SvnManifest manifest) {
    long inode = inode(dir);
    return inode < 0 ? Optional.empty() : Optional.of(new SvnExportRecord(origin, revision, inode, manifest));
  }

  /**
   * Writes this record beside {@code dir} (renamed into place: a crash leaves the old record or
   * none, and a torn one fails its end line), then removes the records of releases that are gone.
   */
  void writeFor(Path dir) throws IOException {
    Path file = fileFor(dir);
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(temp, text().getBytes(StandardCharsets.UTF_8));
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    removeStale(dir);
  }

  /** No record for {@code dir}: its export is not one a later deploy may build on. */
  static void forget(Path dir) throws IOException {
    Files.deleteIfExists(fileFor(dir));
  }

  private String text() {
    StringBuilder out = new StringBuilder(64 * (manifest.entries().size() + 8));
    out.append(HEADER).append('\n');
    out.append("uuid\t").append(clean(origin.repositoryUuid())).append('\n');
    out.append("url\t").append(clean(origin.url())).append('\n');
    out.append("user\t").append(clean(origin.user())).append('\n');
    out.append("translation\t").append(clean(origin.translation())).append('\n');
    out.append("revision\t").append(revision).append('\n');
    out.append("inode\t").append(dirInode).append('\n');
    manifest.entries().forEach(e -> e.appendTo(out));
    out.append("end\t").append(manifest.entries().size()).append('\n');
    return out.toString();
  }

  private static Optional<SvnExportRecord> parse(List<String> lines) {
    int header = 7;
    if (lines.size() < header + 1 || !lines.get(0).equals(HEADER)) {
      return Optional.empty();
    }
    List<SvnManifest.Entry> entries = new ArrayList<>(lines.size());
    for (String line : lines.subList(header, lines.size() - 1)) {
      Optional<SvnManifest.Entry> entry = SvnManifest.Entry.parse(line);
      if (entry.isEmpty()) {
        return Optional.empty();
      }
      entries.add(entry.get());
    }
    if (!lines.get(lines.size() - 1).equals("end\t" + entries.size())) {
      return Optional.empty(); // torn or cut short
    }
    SvnOrigin origin = new SvnOrigin(value(lines, 1, "uuid"), value(lines, 2, "url"), value(lines, 3, "user"),
        value(lines, 4, "translation"));
    return Optional.of(new SvnExportRecord(origin, Long.parseLong(value(lines, 5, "revision")),
        Long.parseLong(value(lines, 6, "inode")), new SvnManifest(List.copyOf(entries))));
  }

  private static String value(List<String> lines, int index, String key) {
    String line = lines.get(index);
    if (!line.startsWith(key + "\t")) {
      throw new IllegalArgumentException("expected " + key + " at line " + (index + 1));
    }
    return line.substring(key.length() + 1);
  }

  private static String clean(String value) {
    if (value.chars().anyMatch(c -> c < 0x20)) {
      throw new IllegalArgumentException("control character in " + value);
    }
    return value;
  }

  /** The record of the release a directory becomes: the Deployer builds {@code .<id>.partial}, then renames it to {@code <id>}. */
  static Path fileFor(Path dir) {
    return dir.resolveSibling("." + releaseName(dir) + SUFFIX);
  }

  private static String releaseName(Path dir) {
    String name = dir.getFileName().toString();
    boolean staging = name.startsWith(".") && name.endsWith(STAGING_SUFFIX) && name.length() > 1 + STAGING_SUFFIX.length();
    return staging ? name.substring(1, name.length() - STAGING_SUFFIX.length()) : name;
  }

  /** Records whose release was pruned (or never completed): nothing will use them again. */
  private static void removeStale(Path dir) throws IOException {
    String keep = fileFor(dir).getFileName().toString();
    try (var siblings = Files.list(dir.getParent())) {
      for (Path p : (Iterable<Path>) siblings::iterator) {
        String name = p.getFileName().toString();
        if (name.startsWith(".") && name.endsWith(SUFFIX) && !name.equals(keep)) {
          String release = name.substring(1, name.length() - SUFFIX.length());
          if (!Files.isDirectory(p.resolveSibling(release), LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }

  private static long inode(Path dir) {
    try {
      return ((Number) Files.getAttribute(dir, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return -1;
    }
  }
}
