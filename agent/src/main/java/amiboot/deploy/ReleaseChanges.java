package amiboot.deploy;

import amiboot.pipeline.BootException;
import java.io.IOException;
import java.util.List;

/**
 * Everything a run changes under deploy_to: build a release, make one current, mark, prune. The
 * tree belongs to the app's user, who can change any of it at any moment; so as root these
 * changes are made by a process of that user's ({@code amiboot.asuser}), and in this process
 * ({@link InProcessChanges}) only when amiboot runs as that user already.
 */
public interface ReleaseChanges extends AutoCloseable {
  /**
   * Makes sure the changes can be made, before the instance leaves service for them (a rollback's
   * first change comes after its stop): the user's process is started here, when there is one.
   */
  void ready() throws BootException;

  /** Builds the release, complete, beside the running one (see {@link Deployer#build}). */
  BuiltRelease build(String releaseId) throws BootException;

  /** Points current at a built release; the detail line (see {@link Deployer#activate}). */
  String activate(BuiltRelease built, String deployedBy) throws BootException;

  /** Removes a built release that never became current. */
  void discard(BuiltRelease built);

  /** Points current back at an existing release (see {@link Deployer#switchTo}). */
  void switchTo(String releaseId, String why) throws BootException;

  /** Records whether a release passed its health check. */
  void mark(String releaseId, ReleaseStatus status) throws BootException;

  /** Removes releases beyond keep_releases; their names. */
  List<String> prune() throws IOException;

  /** Ends the work (the user's process, when there is one). */
  @Override
  void close();
}
