package amiboot.pipeline;

/** Where step results go as each step finishes (the console, in the CLI). */
@FunctionalInterface
public interface Progress {
  void finished(StepResult result);
}
