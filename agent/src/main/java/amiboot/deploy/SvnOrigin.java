package amiboot.deploy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.TimeZone;
import org.tmatesoft.svn.core.SVNException;
import org.tmatesoft.svn.core.io.SVNRepository;

/**
 * Where an svn export comes from, as far as its bytes depend on it: the repository (its UUID: a
 * repository created anew at the same URL numbers its revisions again), the URL ($URL$ and
 * $HeadURL$ are written with it), the user (path-based authz may hide files from some users), and
 * this box's time zone and locale ($Date$ is written in them). Two exports of the same revision
 * with equal origins are the same bytes, so an unchanged file of one may be reused for the other.
 *
 * @param url the URL with any user info masked, and a digest of it as given (a token in it is
 *     never recorded, but a new one is a new origin)
 */
record SvnOrigin(String repositoryUuid, String url, String user, String translation) {

  static SvnOrigin of(SVNRepository session, String user) throws SVNException {
    String location = session.getLocation().toString();
    return new SvnOrigin(session.getRepositoryUUID(true), SourceSpec.redact(location) + " sha256:" + digest(location), user,
        thisBox());
  }

  private static String thisBox() {
    return TimeZone.getDefault().getID() + " " + Locale.getDefault().toLanguageTag() + " translation " + SvnSource.TRANSLATION;
  }

  private static String digest(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
