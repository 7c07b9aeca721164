package amiboot.config;

import amiboot.pipeline.Messages;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML into {@link YamlNode}s with Jackson's streaming parser. A tree (not data binding)
 * lets the config reader report every problem at once, each with its key path and line.
 */
public final class YamlTree {
  // "key:" with nothing after it is null (absent), not an empty string.
  private final YAMLFactory factory = YAMLFactory.builder().enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();

  /**
   * Parses one document. Throws {@link YamlSyntaxException} with the line on malformed YAML, and
   * its {@link SecondDocumentException} when a second document follows (even an empty one).
   */
  public YamlNode parse(String text) throws YamlSyntaxException {
    try (JsonParser parser = factory.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return new YamlNode.Scalar(null, 1);
      }
      YamlNode root = read(parser);
      // Jackson reads a YAML stream: after '---' the next document's first token follows. It
      // used to be ignored without a word; one file is one document.
      if (parser.nextToken() != null) {
        throw new SecondDocumentException(parser.currentTokenLocation().getLineNr());
      }
      return root;
    } catch (YamlSyntaxException e) {
      throw e;
    } catch (JsonProcessingException e) {
      throw new YamlSyntaxException(e.getLocation() == null ? 0 : e.getLocation().getLineNr(), oneLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new YamlSyntaxException(0, e.getMessage());
    }
  }

  private YamlNode read(JsonParser parser) throws IOException, YamlSyntaxException {
    int line = parser.currentTokenLocation().getLineNr();
    refuseAlias(parser, line);
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT:
        return readMapping(parser, line);
      case START_ARRAY:
        List<YamlNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(parser));
        }
        return new YamlNode.Sequence(List.copyOf(items), line);
      case VALUE_NULL:
        return new YamlNode.Scalar(null, line);
      default:
        return new YamlNode.Scalar(parser.getText(), line);
    }
  }

  private YamlNode readMapping(JsonParser parser, int line) throws IOException, YamlSyntaxException {
    Map<String, YamlNode> entries = new LinkedHashMap<>();
    Map<String, Integer> keyLines = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      int keyLine = parser.currentTokenLocation().getLineNr();
      parser.nextToken();
      YamlNode value = read(parser);
      if (entries.containsKey(key)) {
        throw new YamlSyntaxException(keyLine, "duplicate key '" + key + "'");
      }
      entries.put(key, value);
      keyLines.put(key, keyLine);
    }
    return new YamlNode.Mapping(entries, keyLines, line);
  }

  /**
   * Jackson hands an alias over as a plain string holding the anchor's name: {@code ROLE: *app}
   * would read as the role "app". Resolving aliases would let a few lines expand into a huge tree
   * (the "billion laughs"); no amiboot config needs them, so they are refused. (Jackson itself
   * refuses an alias as a key.)
   */
  private static void refuseAlias(JsonParser parser, int line) throws IOException, AliasException {
    if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
      throw new AliasException(line, parser.getText());
    }
  }

  /** The parser's message shows the source line and a caret on lines of their own: keep the words. */
  private static String oneLine(String message) {
    return message == null ? "syntax error" : message.lines().findFirst().orElse("syntax error").strip();
  }

  /** Malformed YAML, with the line where the parser stopped (0 when unknown). */
  public static class YamlSyntaxException extends Exception {
    private final int line;

    YamlSyntaxException(int line, String message) {
      super(message);
      this.line = line;
    }

    public int line() {
      return line;
    }
  }

  /** A YAML alias ({@code *name}), which amiboot does not resolve; the line is the alias's. */
  public static final class AliasException extends YamlSyntaxException {
    AliasException(int line, String name) {
      super(line, "YAML aliases (*" + Messages.shown(name, 40) + ") are not supported: write the value out in full");
    }
  }

  /** More than one YAML document; the line is where the second one's content starts. */
  public static final class SecondDocumentException extends YamlSyntaxException {
    SecondDocumentException(int line) {
      super(line, "a second YAML document starts here (after '---'): give one document");
    }
  }
}
