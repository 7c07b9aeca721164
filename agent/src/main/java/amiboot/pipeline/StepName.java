package amiboot.pipeline;

import java.util.Locale;

/** The steps of boot, deploy and rollback, in the order they run (each command runs some of them). */
public enum StepName {
  LOCK,
  METADATA,
  CONFIG,
  HOSTS,
  DEPLOY,
  DEREGISTER,
  DRAIN,
  STOP,
  SWITCH,
  START,
  HEALTH,
  ROLLBACK,
  REGISTER,
  PRUNE,
  RECORD;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
