package amiboot.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The example app shipped in examples/ (the content of the app's repository). */
public final class Examples {
  private Examples() {}

  public static Path root() {
    String dir = System.getProperty("amiboot.examples", "../examples");
    Path root = Path.of(dir).toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException("examples not found at " + root + " (system property amiboot.examples)");
    }
    return root;
  }

  public static Path smallPayroll() {
    return root().resolve("smallpayroll");
  }
}
