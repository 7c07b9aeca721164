package amiboot.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootLockTest {

  private static final String PID = Long.toString(ProcessHandle.current().pid());

  @Test
  void acquire_missingStateDir_createsDirAndLockFileWithPid(@TempDir Path root) throws Exception {
    Path stateDir = root.resolve("var/lib/amiboot");

    try (BootLock lock = BootLock.acquire(stateDir)) {
      Path file = stateDir.resolve("amiboot.lock");
      assertTrue(Files.isDirectory(stateDir));
      assertEquals(PID + "\n", Files.readString(file, StandardCharsets.US_ASCII));
    }
  }

  @Test
  void acquire_staleContentFromEarlierRun_replacedByThisPid(@TempDir Path stateDir) throws Exception {
    Files.writeString(stateDir.resolve("amiboot.lock"), "123456789012345\nleftover\n", StandardCharsets.US_ASCII);

    try (BootLock lock = BootLock.acquire(stateDir)) {
      assertEquals(PID + "\n", Files.readString(stateDir.resolve("amiboot.lock"), StandardCharsets.US_ASCII));
    }
  }

  @Test
  void acquire_whileHeld_lockHeldNamingPidAndFile(@TempDir Path stateDir) throws Exception {
    try (BootLock held = BootLock.acquire(stateDir)) {
      LockHeldException e = assertThrows(LockHeldException.class, () -> BootLock.acquire(stateDir));

      String message = e.getMessage();
      assertTrue(message.contains("pid " + PID), message);
      assertTrue(message.contains(stateDir.resolve("amiboot.lock").toString()), message);
    }
  }

  @Test
  void acquire_afterClose_succeedsAgain(@TempDir Path stateDir) throws Exception {
    BootLock.acquire(stateDir).close();

    try (BootLock again = BootLock.acquire(stateDir)) {
      assertEquals(PID + "\n", Files.readString(stateDir.resolve("amiboot.lock"), StandardCharsets.US_ASCII));
    }
  }

  @Test
  void acquire_afterRefusedSecondAttempt_firstHolderStillHoldsAndReleaseWorks(@TempDir Path stateDir)
      throws Exception {
    try (BootLock held = BootLock.acquire(stateDir)) {
      assertThrows(LockHeldException.class, () -> BootLock.acquire(stateDir));
      assertThrows(LockHeldException.class, () -> BootLock.acquire(stateDir));
    }
    try (BootLock again = BootLock.acquire(stateDir)) {
      assertEquals(PID + "\n", Files.readString(stateDir.resolve("amiboot.lock"), StandardCharsets.US_ASCII));
    }
  }

  @Test
  void acquire_stateDirIsAFile_cannotWriteNamingPath(@TempDir Path root) throws Exception {
    Path notADir = root.resolve("state");
    Files.writeString(notADir, "x");

    CannotWriteException e = assertThrows(CannotWriteException.class, () -> BootLock.acquire(notADir));

    assertTrue(e.getMessage().contains(notADir.resolve("amiboot.lock").toString()), e.getMessage());
  }

  @Test
  void acquire_whileHeld_lockFileHoldingWhatDoesNotPrint_isEchoedEscaped(@TempDir Path stateDir) throws Exception {
    try (BootLock held = BootLock.acquire(stateDir)) {
      // Whoever can write the file can put anything there: a newline, a bidi override, an ANSI escape.
      Files.writeString(stateDir.resolve("amiboot.lock"), "66\u202e6\n\u2028\u001b[2J", StandardCharsets.UTF_8);

      LockHeldException e = assertThrows(LockHeldException.class, () -> BootLock.acquire(stateDir));

      assertTrue(e.getMessage().startsWith("another amiboot (pid 66\\u202e6\\x0a\\u2028\\x1b[2J) holds "), e.getMessage());
    }
  }
}
