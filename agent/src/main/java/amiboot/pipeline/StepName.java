package amiboot.pipeline;

import java.util.Locale;

/** The boot's steps, in the order they run. */
public enum StepName {
  LOCK,
  METADATA,
  CONFIG,
  HOSTS,
  DEPLOY,
  START,
  HEALTH,
  REGISTER,
  RECORD;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
