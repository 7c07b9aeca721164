import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * SmallPayroll example app server.
 * Run from the release directory: java app/Server.java PORT
 * Binds to $BIND (default 0.0.0.0).
 */
public class Server {

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        String bind = System.getenv().getOrDefault("BIND", "0.0.0.0");

        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 0);
        server.createContext("/", Server::handle);
        server.start();
        log("listening on " + bind + ":" + port);

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("stopping");
            server.stop(1);
            log("stopped");
        }));
    }

    private static void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            boolean ok = "GET".equals(ex.getRequestMethod()) && "/".equals(path);
            String body = ok ? page() : "<h1>Not Found</h1>\n";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(ok ? 200 : 404, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
            log(ex.getRequestMethod() + " " + path + " " + (ok ? 200 : 404));
        } finally {
            ex.close();
        }
    }

    private static String page() {
        StringBuilder sb = new StringBuilder();
        sb.append("<html><body>\n<h1>Welcome to SmallPayroll</h1>\n");
        String revision = readRevision();
        if (revision != null) {
            sb.append("<p>Revision: ").append(escape(revision)).append("</p>\n");
        }
        String dbHost = readDatabaseHost();
        if (dbHost != null) {
            sb.append("<p>Database host: ").append(escape(dbHost)).append("</p>\n");
        }
        return sb.append("</body></html>\n").toString();
    }

    private static String readRevision() {
        try {
            String rev = Files.readString(Path.of("REVISION")).trim();
            return rev.isEmpty() ? null : rev;
        } catch (IOException e) {
            return null;
        }
    }

    /** Returns the value of the first "host: X" line of config/database.yml, if any. */
    private static String readDatabaseHost() {
        try {
            for (String line : Files.readAllLines(Path.of("config", "database.yml"))) {
                String t = line.trim();
                if (t.startsWith("host:")) {
                    String host = t.substring("host:".length()).trim();
                    return host.isEmpty() ? null : host;
                }
            }
        } catch (IOException e) {
            // no database config: nothing to show
        }
        return null;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void log(String msg) {
        System.out.println(Instant.now() + " server: " + msg);
    }
}
