// test/cases/ReaderJdbc.java: what a JDBC client sees of the reader schema,
// logged in as a reporting role.  Compiled and run by reader_jdbc.sh:
//
//   java -cp postgresql.jar:classes ReaderJdbc SOCKET DATABASE ROLE
//
// pgJDBC speaks TCP only and the test server listens on a Unix socket
// (SOCKET, its .s.PGSQL.nnnn), so the program first opens a port on the
// loopback that forwards to it.  Prints "ok: ..." per check, "FAIL: ..." and
// exits 1 at the first that fails.

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

public class ReaderJdbc {
    static void fail(String what) {
        System.out.println("FAIL: " + what);
        System.exit(1);
    }

    static void check(boolean ok, String what) {
        if (!ok)
            fail(what);
        System.out.println("ok: " + what);
    }

    // A port on the loopback; each connection to it is forwarded to the
    // server's Unix socket, both ways, by two threads.
    static int forward(String socketPath) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    Socket tcp = server.accept();
                    SocketChannel unix = SocketChannel.open(UnixDomainSocketAddress.of(socketPath));
                    daemon(() -> toUnix(tcp, unix));
                    daemon(() -> toTcp(unix, tcp));
                }
            } catch (IOException e) {
                // the server socket is closed when the program ends
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return server.getLocalPort();
    }

    static void daemon(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        t.start();
    }

    static void toUnix(Socket tcp, SocketChannel unix) {
        byte[] buf = new byte[65536];
        try (InputStream in = tcp.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining())
                    unix.write(bb);
            }
            unix.shutdownOutput();
        } catch (IOException e) {
            // the other side closed
        }
    }

    static void toTcp(SocketChannel unix, Socket tcp) {
        ByteBuffer bb = ByteBuffer.allocate(65536);
        try (OutputStream out = tcp.getOutputStream()) {
            while (unix.read(bb) > 0) {
                out.write(bb.array(), 0, bb.position());
                out.flush();
                bb.clear();
            }
        } catch (IOException e) {
            // the other side closed
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3)
            fail("usage: ReaderJdbc SOCKET DATABASE ROLE");
        int port = forward(args[0]);
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/" + args[1] + "?sslmode=disable";
        try (Connection conn = DriverManager.getConnection(url, args[2], "")) {
            DatabaseMetaData md = conn.getMetaData();
            System.out.println("pgJDBC " + md.getDriverVersion() + ", logged in as " + md.getUserName());

            // What a tool lists under its default table types: the dashboards
            // among them, every one readable, with a comment.
            Set<String> listed = new TreeSet<>();
            try (ResultSet rs = md.getTables(null, "arrima_published", "%", new String[] {"TABLE", "VIEW"})) {
                while (rs.next()) {
                    String name = rs.getString("TABLE_NAME");
                    listed.add(name);
                    String remarks = rs.getString("REMARKS");
                    check(remarks != null && remarks.contains(" / "),
                          name + " (" + rs.getString("TABLE_TYPE") + ") has REMARKS in French and English");
                }
            }
            System.out.println("getTables(arrima_published, {TABLE, VIEW}): " + listed);
            for (String dashboard : List.of("round_dashboard", "annual_summary", "category_summary",
                                            "release", "release_count"))
                check(listed.contains(dashboard), "getTables lists " + dashboard);
            int columns = 0;
            for (String name : listed) {
                try (Statement st = conn.createStatement();
                     ResultSet rs = st.executeQuery("SELECT * FROM arrima_published." + name)) {
                    int rows = 0;
                    while (rs.next())
                        rows++;
                    check(true, name + " is readable by the reporting role (" + rows + " rows)");
                } catch (SQLException e) {
                    fail(name + " is listed but not readable: " + e.getMessage());
                }
                try (ResultSet rs = md.getColumns(null, "arrima_published", name, "%")) {
                    while (rs.next()) {
                        String remarks = rs.getString("REMARKS");
                        if (remarks == null || !remarks.contains(" / "))
                            fail(name + "." + rs.getString("COLUMN_NAME") + " has no REMARKS in French and English");
                        columns++;
                    }
                }
            }
            check(columns > 0, "every one of the " + columns + " columns of those relations has REMARKS");

            // Counts are BIGINT whatever the release withheld.
            try (Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery("SELECT * FROM arrima_published.round_dashboard")) {
                ResultSetMetaData rsmd = rs.getMetaData();
                List<String> notBigint = new ArrayList<>();
                for (String count : List.of("invitations", "declined", "expired", "rejected", "refused",
                                            "notices_cannot_support", "notices_did_not_support",
                                            "invitations_published")) {
                    int i = rs.findColumn(count);
                    if (rsmd.getColumnType(i) != Types.BIGINT)
                        notBigint.add(count);
                }
                check(notBigint.isEmpty(), "the counts of round_dashboard are BIGINT " + notBigint);
            }

            // A withheld count: getLong says 0, wasNull says it is no 0.
            try (Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery(
                     "SELECT value, status FROM arrima_published.release_count "
                     + "WHERE status = 'withheld' ORDER BY release_id, dashboard, measure LIMIT 1")) {
                check(rs.next(), "release_count has a withheld count");
                long v = rs.getLong("value");
                check(v == 0 && rs.wasNull() && "withheld".equals(rs.getString("status")),
                      "a withheld count: getLong() = " + v + ", wasNull() = true, status withheld");
            }
            try (Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery(
                     "SELECT round_id, declined FROM arrima_published.round_dashboard "
                     + "WHERE row_kind = 'round' AND declined IS NULL ORDER BY round_id LIMIT 1")) {
                check(rs.next(), "round_dashboard has a round whose declined count is withheld");
                long v = rs.getLong("declined");
                check(v == 0 && rs.wasNull() && rs.getObject("declined") == null,
                      "round " + rs.getInt("round_id") + ": getLong(declined) = " + v
                      + ", wasNull() = true, getObject() = null");
            }
            try (Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery(
                     "SELECT value FROM arrima_published.release_count "
                     + "WHERE status = 'shown' AND value = 0 LIMIT 1")) {
                check(rs.next(), "release_count has a shown zero");
                long v = rs.getLong("value");
                check(v == 0 && !rs.wasNull(), "a shown zero: getLong() = 0, wasNull() = false");
            }

            // The document, as the reporting role.
            try (Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery("SELECT arrima_stats.release_document('en')")) {
                check(rs.next() && rs.getString(1).startsWith("<!DOCTYPE html>"),
                      "release_document('en') as the reporting role");
            }
        }
    }
}
