package amiboot.config;

import java.util.ArrayList;
import java.util.List;

/** Config problems collected while reading, so that all of them are reported in one go. */
final class Problems {
  private final List<ConfigProblem> list = new ArrayList<>();

  void add(int line, String path, String message) {
    list.add(new ConfigProblem(line, path, message));
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  List<ConfigProblem> all() {
    return List.copyOf(list);
  }

  List<String> list() {
    return list.stream().map(ConfigProblem::toString).toList();
  }
}
