package amiboot.deploy;

import org.eclipse.jgit.storage.file.WindowCacheConfig;
import org.eclipse.jgit.util.FS;

/**
 * JGit's process-wide settings, as amiboot uses JGit: applied once, before amiboot's first use of
 * JGit in a process (GitSource's, or a rehearsal's for the class-data archives, which must load
 * what a real run loads).
 */
public final class JGitSettings {
  static {
    // JGit measures the file system's timestamp resolution on first use (seconds on a fresh box)
    // for racy-git checks of working trees. amiboot never uses a working tree: don't wait for it.
    FS.FileStoreAttributes.setBackground(true);
    // JGit would run git twice to find its system config (GitSystemConfig): tell it instead.
    FS.DETECTED.setGitSystemConfig(GitSystemConfig.locate(System::getenv).orElse(null));
    // Writing a release reads every blob once, spread over the whole pack, through delta chains
    // whose bases lie anywhere in it. JGit's defaults (10 MB of 8 kB windows, sized for an IDE)
    // re-read the same pack regions over and over: about 7% more CPU for the benchmark
    // repository's 35 MB pack, and ~5,000 extra reads on a redeploy (one per object size looked
    // up). 64 MB of 64 kB windows hold most packs whole; the cache lets go under memory pressure.
    WindowCacheConfig windows = new WindowCacheConfig();
    windows.setPackedGitLimit(64L << 20);
    windows.setPackedGitWindowSize(64 << 10);
    windows.install();
    // SHA-1 stays JGit's default, with collision detection (as in git since 2.13). The JDK's
    // SHA-1 (org.eclipse.jgit.util.sha1.implementation=jdkNative) would save about 0.5 s of CPU
    // (0.3 s of wall time, a fifth of the fetch) on a fresh deploy of the benchmark repository,
    // and nothing measurable on a redeploy; but a pinned repository.revision is only worth what the
    // hash guarantees: a server serving one half of a SHAttered-style pair would go unnoticed.
    // The fresh deploy meets its target without it (BENCHMARKS.md).
  }

  private JGitSettings() {}

  /** Applies the settings: the first call initialises this class, which does it; later calls do nothing. */
  public static void apply() {
    // the static initialiser above
  }
}
