package amiboot.boot;

import java.util.Optional;

/** A revision and/or branch to deploy, pinned by the command line ({@code deploy --revision R --branch B}) or by user-data. */
public record Pins(Optional<String> revision, Optional<String> branch) {
  public static Pins none() {
    return new Pins(Optional.empty(), Optional.empty());
  }

  public boolean any() {
    return revision.isPresent() || branch.isPresent();
  }
}
