package amiboot.boot;

import java.util.Optional;

/** What the command line pins to deploy ({@code amiboot deploy --revision R --branch B}); wins over user-data and config. */
public record Pins(Optional<String> revision, Optional<String> branch) {
  public static Pins none() {
    return new Pins(Optional.empty(), Optional.empty());
  }
}
