package amiboot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.ObjectWalk;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/** Real git repositories on disk, made with JGit, to deploy from over file://. */
public final class GitRepos {
  private static final PersonIdent AUTHOR = new PersonIdent("Test", "test@example.com");

  private GitRepos() {}

  /** A repository at {@code dir} (branch main) whose first commit holds a copy of {@code content}. */
  public static Path fromDirectory(Path content, Path dir) {
    copyTree(content, dir);
    try (Git git = Git.init().setInitialBranch("main").setDirectory(dir.toFile()).call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("initial").setAuthor(AUTHOR).setCommitter(AUTHOR).call();
      return dir;
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code file} in the repository and commits it; returns the new commit id. */
  public static String commit(Path repo, String file, String text, String message) {
    try (Git git = Git.open(repo.toFile())) {
      Path path = repo.resolve(file);
      Files.createDirectories(path.getParent());
      Files.writeString(path, text, StandardCharsets.UTF_8);
      git.add().addFilepattern(file).call();
      RevCommit commit = git.commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR).call();
      return commit.name();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Commits the head's tree plus {@code pathsAndTexts} (path, text, path, text, ...) as files,
   * written object by object: JGit's porcelain, as git's, would refuse what a test builds this
   * way (a name twice in one tree, a .git directory). Returns the new commit id.
   */
  public static String commitRaw(Path repo, String message, String... pathsAndTexts) {
    try (Git git = Git.open(repo.toFile()); ObjectInserter inserter = git.getRepository().newObjectInserter()) {
      Repository r = git.getRepository();
      ObjectId head = r.resolve("HEAD");
      List<TreeFile> files = new ArrayList<>();
      try (RevWalk commits = new RevWalk(r); TreeWalk walk = new TreeWalk(r)) {
        walk.addTree(commits.parseCommit(head).getTree());
        walk.setRecursive(true);
        while (walk.next()) {
          files.add(new TreeFile(walk.getPathString(), walk.getFileMode(0), walk.getObjectId(0)));
        }
      }
      for (int i = 0; i < pathsAndTexts.length; i += 2) {
        ObjectId blob = inserter.insert(Constants.OBJ_BLOB, pathsAndTexts[i + 1].getBytes(StandardCharsets.UTF_8));
        files.add(new TreeFile(pathsAndTexts[i], FileMode.REGULAR_FILE, blob));
      }
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(insertTree(inserter, files, ""));
      commit.setParentId(head);
      commit.setAuthor(AUTHOR);
      commit.setCommitter(AUTHOR);
      commit.setMessage(message);
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      RefUpdate update = r.updateRef(r.getFullBranch());
      update.setNewObjectId(id);
      update.forceUpdate();
      return id.name();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record TreeFile(String path, FileMode mode, ObjectId id) {}

  private record TreeEntry(String name, FileMode mode, ObjectId id) {
    /** Git's order: a tree sorts as if its name ended in '/'. */
    String sortKey() {
      return mode == FileMode.TREE ? name + "/" : name;
    }
  }

  /** The tree of {@code files} under {@code prefix}, subtrees first written; every file kept, duplicates too. */
  private static ObjectId insertTree(ObjectInserter inserter, List<TreeFile> files, String prefix) throws IOException {
    List<TreeEntry> entries = new ArrayList<>();
    Map<String, List<TreeFile>> dirs = new TreeMap<>();
    for (TreeFile file : files) {
      String rest = file.path().substring(prefix.length());
      int slash = rest.indexOf('/');
      if (slash < 0) {
        entries.add(new TreeEntry(rest, file.mode(), file.id()));
      } else {
        dirs.computeIfAbsent(rest.substring(0, slash), d -> new ArrayList<>()).add(file);
      }
    }
    for (Map.Entry<String, List<TreeFile>> dir : dirs.entrySet()) {
      entries.add(new TreeEntry(dir.getKey(), FileMode.TREE, insertTree(inserter, dir.getValue(), prefix + dir.getKey() + "/")));
    }
    entries.sort(Comparator.comparing(TreeEntry::sortKey));
    TreeFormatter tree = new TreeFormatter();
    for (TreeEntry e : entries) {
      tree.append(e.name(), e.mode(), e.id());
    }
    return inserter.insert(tree);
  }

  /** Commits the working tree as it is: new, changed and deleted files, exec bits, symlinks. */
  public static String commitAll(Path repo, String message) {
    try (Git git = Git.open(repo.toFile())) {
      git.add().addFilepattern(".").call();
      git.add().setUpdate(true).addFilepattern(".").call();
      RevCommit commit = git.commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR).call();
      return commit.name();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void tag(Path repo, String name) {
    try (Git git = Git.open(repo.toFile())) {
      git.tag().setName(name).setAnnotated(true).setMessage(name).setTagger(AUTHOR).call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void branch(Path repo, String name) {
    try (Git git = Git.open(repo.toFile())) {
      git.branchCreate().setName(name).call();
      git.checkout().setName(name).call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads every object reachable from the repository's refs, as git fsck's connectivity check
   * does; returns how many there are. Throws when one is missing or damaged, or HEAD resolves to nothing.
   */
  public static int readEveryObject(Path repo) {
    try (Git git = Git.open(repo.toFile()); ObjectWalk walk = new ObjectWalk(git.getRepository())) {
      Repository repository = git.getRepository();
      if (repository.resolve("HEAD^{commit}") == null) {
        throw new IllegalStateException("HEAD of " + repo + " resolves to no commit");
      }
      for (Ref ref : repository.getRefDatabase().getRefs()) {
        walk.markStart(walk.parseAny(ref.getObjectId()));
      }
      int count = 0;
      for (RevObject o = walk.next(); o != null; o = walk.next()) {
        count++;
      }
      for (RevObject o = walk.nextObject(); o != null; o = walk.nextObject()) {
        repository.open(o).getBytes();
        count++;
      }
      return count;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String url(Path repo) {
    return repo.toUri().toString();
  }

  /** Copies a directory tree, keeping the executable bit (the example's scripts need it). */
  public static void copyTree(Path from, Path to) {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
