package io.simanchor.mud.enforcement;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Accepts TCP connections on each {@code address:port} argument and echoes what they send, until killed: the servers of
 * {@link NftablesEnforcementTest}, started inside a network namespace with {@code ip netns exec}.
 */
public final class TcpListeners {

    private TcpListeners() {
    }

    /** Sends every byte back until the client closes, so a test can tell a live connection from a cut one. */
    private static void echo(Socket socket) {
        try (socket) {
            socket.getInputStream().transferTo(socket.getOutputStream());
        } catch (IOException e) {
            // the client went away
        }
    }

    public static void main(String[] args) throws IOException {
        for (String arg : args) {
            int colon = arg.lastIndexOf(':');
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(arg.substring(0, colon), Integer.parseInt(arg.substring(colon + 1))));
            Thread thread = new Thread(() -> {
                while (true) {
                    try {
                        Socket socket = server.accept();
                        Thread echo = new Thread(() -> echo(socket));
                        echo.setDaemon(true);
                        echo.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            thread.start();
        }
        System.out.println("listening");
        System.out.flush();
    }
}
