package amiboot.asuser;

import amiboot.config.RepositoryType;
import amiboot.config.SharedConfig;
import amiboot.deploy.Credentials;
import amiboot.deploy.SourceSpec;
import amiboot.io.Secret;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the user's process needs to make a run's changes: the layout and the source to deploy. The
 * credentials follow with a build request only (the password file is root's: its text is sent,
 * over the pipe, never the path).
 */
record Setup(Path deployTo, SharedConfig shared, int keepReleases, SourceSpec source) {
  void writeTo(DataOutputStream out) throws IOException {
    Wire.write(out, deployTo.toString());
    Wire.write(out, shared.dirs());
    Wire.write(out, shared.files());
    out.writeInt(keepReleases);
    Wire.write(out, source.type().name());
    Wire.write(out, source.url());
    Wire.write(out, source.username());
    Wire.write(out, source.branch());
    Wire.write(out, source.revision());
    out.flush();
  }

  /** The credentials go with a build request alone. */
  static void writeCredentials(DataOutputStream out, Optional<Credentials> credentials) throws IOException {
    out.writeBoolean(credentials.isPresent());
    if (credentials.isPresent()) {
      Wire.write(out, credentials.get().username());
      Wire.write(out, new String(credentials.get().password().chars()));
    }
  }

  static Optional<Credentials> readCredentials(DataInputStream in) throws IOException {
    return in.readBoolean() ? Optional.of(new Credentials(Wire.read(in), Secret.of(Wire.read(in)))) : Optional.empty();
  }

  static Setup readFrom(DataInputStream in) throws IOException {
    Path deployTo = Path.of(Wire.read(in));
    SharedConfig shared = new SharedConfig(Wire.readList(in), Wire.readList(in));
    int keep = in.readInt();
    RepositoryType type;
    try {
      type = RepositoryType.valueOf(Wire.read(in));
    } catch (IllegalArgumentException e) {
      throw new IOException("broken setup: unknown repository type", e);
    }
    SourceSpec source = new SourceSpec(type, Wire.read(in), Wire.readOptional(in), Optional.empty(), Wire.readOptional(in),
        Wire.readOptional(in));
    return new Setup(deployTo, shared, keep, source);
  }
}
