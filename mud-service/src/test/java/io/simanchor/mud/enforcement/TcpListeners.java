package io.simanchor.mud.enforcement;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Accepts and closes TCP connections on each {@code address:port} argument until killed: the servers of
 * {@link NftablesEnforcementTest}, started inside a network namespace with {@code ip netns exec}.
 */
public final class TcpListeners {

    private TcpListeners() {
    }

    public static void main(String[] args) throws IOException {
        for (String arg : args) {
            int colon = arg.lastIndexOf(':');
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(arg.substring(0, colon), Integer.parseInt(arg.substring(colon + 1))));
            Thread thread = new Thread(() -> {
                while (true) {
                    try (Socket socket = server.accept()) {
                        socket.getOutputStream().flush();
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
