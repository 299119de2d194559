package dev.fairshare.localstack;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A keep-alive HTTP/1.1 connection that posts JSON and reads the answer: a load generator as thin
 * as it can be, so that the two cores of a benchmark go to the system under test (its clients run
 * on other machines in practice). Used by the ingestion benchmark and the full-load fault run.
 */
public final class Poster implements AutoCloseable {
    /** How long a read may wait for the server's answer before the post fails. */
    static final Duration READ_TIMEOUT = Duration.ofMinutes(3);

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String head;

    /** Connects to {@code server} for posts to {@code path} with a bearer {@code token}. */
    public Poster(URI server, String path, String token) throws IOException {
        socket = new Socket(server.getHost(), server.getPort());
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        head =
                "POST "
                        + path
                        + " HTTP/1.1\r\nHost: "
                        + server.getHost()
                        + ":"
                        + server.getPort()
                        + "\r\nAuthorization: Bearer "
                        + token
                        + "\r\nContent-Type: application/json\r\nContent-Length: ";
    }

    /** Posts {@code body}; answers the status code, a space and the response body. */
    public String post(byte[] body) throws IOException {
        out.write((head + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        String status = line().split(" ")[1];
        int length = -1;
        boolean chunked = false;
        for (String h = line(); !h.isEmpty(); h = line()) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        if (chunked) {
            for (int size = Integer.parseInt(line().trim(), 16);
                    size > 0;
                    size = Integer.parseInt(line().trim(), 16)) {
                answer.write(in.readNBytes(size));
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
        } else {
            answer.write(in.readNBytes(Math.max(length, 0)));
        }
        return status + " " + answer.toString(StandardCharsets.UTF_8);
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the server closed the connection");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
