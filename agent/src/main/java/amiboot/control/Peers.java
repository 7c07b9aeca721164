package amiboot.control;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.net.ExtendedSocketOptions;

/**
 * Who is at the other end of the control socket, by the kernel's word (SO_PEERCRED): only the
 * user this process runs as. The server refuses anyone else (a start request runs commands), and
 * a client sends nothing to a socket someone else planted (a start request carries the app's env).
 */
final class Peers {
  private Peers() {}

  static boolean isSelf(SocketChannel channel) throws IOException {
    // the owner of /proc/self is this process's effective uid; principals compare by uid
    return channel.getOption(ExtendedSocketOptions.SO_PEERCRED).user().equals(Files.getOwner(Path.of("/proc/self")));
  }
}
