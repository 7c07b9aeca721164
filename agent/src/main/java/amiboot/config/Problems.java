package amiboot.config;

import java.util.ArrayList;
import java.util.List;

/** Config problems collected while reading, so that all of them are reported in one go. */
final class Problems {
  private final List<String> list = new ArrayList<>();

  void add(int line, String path, String message) {
    list.add((line > 0 ? "line " + line + " " : "") + path + ": " + message);
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  List<String> list() {
    return List.copyOf(list);
  }
}
