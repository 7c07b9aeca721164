package amiboot.deploy;

import java.util.Locale;
import java.util.TimeZone;
import org.tmatesoft.svn.core.SVNException;
import org.tmatesoft.svn.core.io.SVNRepository;

/**
 * Where an svn export comes from, as far as its bytes depend on it: the repository (its UUID,
 * whatever URL reaches it), the path inside it (trunk or a branch), the user (path-based authz may
 * hide files from some users), and what keyword expansion depends on besides the repository
 * ($Date$ is written in this box's time zone). Two exports of the same revision with equal origins
 * are the same bytes, so an unchanged file of one may be reused for the other.
 */
record SvnOrigin(String repositoryUuid, String path, String user, String translation) {

  static SvnOrigin of(SVNRepository session, String user) throws SVNException {
    String root = session.getRepositoryRoot(true).getPath();
    String location = session.getLocation().getPath();
    String path = location.length() > root.length() ? location.substring(root.length()) : "/";
    return new SvnOrigin(session.getRepositoryUUID(true), path, user, thisBox());
  }

  private static String thisBox() {
    return TimeZone.getDefault().getID() + " " + Locale.getDefault().toLanguageTag() + " " + "translation " + SvnSource.TRANSLATION;
  }
}
