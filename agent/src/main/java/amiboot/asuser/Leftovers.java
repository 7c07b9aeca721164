package amiboot.asuser;

import amiboot.io.FileOwner;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;

/**
 * What an older amiboot left root-owned under repo/ and releases/ (it fetched and built there as
 * root; a crash left a staging release behind): given to the user, whose process could neither
 * fetch into it nor remove it. Walked through directory handles ({@link SecureDirectoryStream}),
 * never by path, no link followed, children before their directory (a directory stays root's, so
 * unchangeable by the user, until everything in it is done), and only root's own entries: the
 * user's are the user's already.
 */
final class Leftovers {
  private Leftovers() {}

  /** In {@code deployTo}, only when it is the user's: root-owned entries in it were put there by root. */
  static void giveToUser(Path deployTo, String userName, FileOwner owner) throws IOException {
    if (!hardLinksProtected() || !Files.isDirectory(deployTo)) {
      return; // a root file hard-linked into the tree would be given away with it; a new deploy_to has none
    }
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(deployTo)) {
      if (!(stream instanceof SecureDirectoryStream<Path> dir)) {
        return;
      }
      Principals to = Principals.of(userName, owner);
      if (!dir.getFileAttributeView(PosixFileAttributeView.class).readAttributes().owner().equals(to.user())) {
        return;
      }
      for (String layoutDir : new String[] {"repo", "releases"}) {
        give(dir, Path.of(layoutDir), to, false, true);
      }
    }
  }

  /**
   * A directory is opened (no link followed) and given through its own handle, after what is in
   * it; a file only in a directory of root's, where nobody can swap its name between the look and
   * the chown. {@code top}: repo/ or releases/, looked into even when the user's.
   */
  private static void give(SecureDirectoryStream<Path> parent, Path name, Principals to, boolean parentIsRoots, boolean top)
      throws IOException {
    PosixFileAttributeView view = parent.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    PosixFileAttributes attrs;
    try {
      attrs = view.readAttributes();
    } catch (NoSuchFileException e) {
      return;
    }
    if (attrs.isDirectory()) {
      try (SecureDirectoryStream<Path> dir = parent.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
        PosixFileAttributeView self = dir.getFileAttributeView(PosixFileAttributeView.class);
        boolean roots = self.readAttributes().owner().equals(to.root());
        if (roots || top) {
          for (Path entry : dir) {
            give(dir, entry.getFileName(), to, roots, false);
          }
        }
        if (roots) {
          self.setOwner(to.user());
          self.setGroup(to.group());
        }
      } catch (FileSystemException e) {
        // swapped for a link or a file meanwhile: the user's doing, and nothing of root's
      }
    } else if (attrs.isRegularFile() && parentIsRoots && attrs.owner().equals(to.root())) {
      view.setOwner(to.user());
      view.setGroup(to.group());
    }
  }

  private static boolean hardLinksProtected() {
    try {
      return Files.readString(Path.of("/proc/sys/fs/protected_hardlinks")).strip().equals("1");
    } catch (IOException e) {
      return false;
    }
  }

  /** The user, its group and root as the file system's principals (equal when their ids are). */
  private record Principals(UserPrincipal user, GroupPrincipal group, UserPrincipal root) {
    static Principals of(String userName, FileOwner owner) throws IOException {
      UserPrincipalLookupService lookup = Path.of("/").getFileSystem().getUserPrincipalLookupService();
      // a group name that is all digits is taken as the gid when no group has that name
      return new Principals(lookup.lookupPrincipalByName(userName),
          lookup.lookupPrincipalByGroupName(Integer.toString(owner.gid())), lookup.lookupPrincipalByName("root"));
    }
  }
}
