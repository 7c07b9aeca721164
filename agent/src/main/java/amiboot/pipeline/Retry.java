package amiboot.pipeline;

/** Retries an action that found a service unavailable, within a {@link PollBudget}. */
public final class Retry {
  /** One try of the action. */
  @FunctionalInterface
  public interface Attempt<T> {
    T run() throws BootException;
  }

  private Retry() {}

  /**
   * Runs {@code attempt} until it succeeds, fails for another reason, or the budget is spent;
   * then the last {@link UnavailableException} is thrown as it was.
   */
  public static <T> T whileUnavailable(PollBudget budget, Attempt<T> attempt) throws BootException {
    while (true) {
      try {
        return attempt.run();
      } catch (UnavailableException e) {
        if (!e.worthRetrying()) {
          throw e;
        }
        boolean again;
        try {
          again = budget.awaitNextAttempt();
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        if (!again) {
          throw e;
        }
      }
    }
  }
}
