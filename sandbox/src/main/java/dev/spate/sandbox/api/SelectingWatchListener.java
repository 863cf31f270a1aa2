package dev.spate.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.HashSet;
import java.util.Set;

/**
 * Decorates the mock's watch listener (which sees every object of the collection) so that the
 * client only receives events of objects its selector matches, with the API server's transition
 * semantics: an object that starts matching arrives as {@code ADDED}, one that stops matching as
 * {@code DELETED}; {@code BOOKMARK} and {@code ERROR} events pass through.
 */
final class SelectingWatchListener extends WebSocketListener {

  private final WebSocketListener delegate;
  private final ObjectSelector selector;
  private final Set<String> visible = new HashSet<>();
  private volatile FilteringSocket socket;

  SelectingWatchListener(WebSocketListener delegate, ObjectSelector selector) {
    this.delegate = delegate;
    this.selector = selector;
  }

  private WebSocket wrap(WebSocket ws) {
    FilteringSocket s = socket;
    if (s == null || s.target != ws) {
      s = new FilteringSocket(ws);
      socket = s;
    }
    return s;
  }

  @Override
  public void onBeforeAccept(WebSocket webSocket, Response response) {
    delegate.onBeforeAccept(wrap(webSocket), response);
  }

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    delegate.onOpen(wrap(webSocket), response);
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    delegate.onMessage(wrap(webSocket), text);
  }

  @Override
  public void onMessage(WebSocket webSocket, ByteString bytes) {
    delegate.onMessage(wrap(webSocket), bytes);
  }

  @Override
  public void onMessage(WebSocket webSocket, byte[] bytes) {
    delegate.onMessage(wrap(webSocket), bytes);
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    delegate.onClosing(wrap(webSocket), code, reason);
  }

  @Override
  public void onClosed(WebSocket webSocket, int code, String reason) {
    delegate.onClosed(wrap(webSocket), code, reason);
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable t, Response response) {
    delegate.onFailure(wrap(webSocket), t, response);
  }

  /** Returns the event to send instead of {@code text}, or null to drop it. */
  synchronized String select(String text) {
    JsonNode event = SandboxDispatcher.readTree(text);
    String type = event.path("type").asText();
    JsonNode object = event.path("object");
    String key =
        object.path("metadata").path("namespace").asText("")
            + "/"
            + object.path("metadata").path("name").asText("");
    boolean matches = selector.test(object);
    switch (type) {
      case "ADDED":
        if (matches) {
          visible.add(key);
          return text;
        }
        return null;
      case "MODIFIED":
        boolean was = visible.contains(key);
        if (matches && was) {
          return text;
        }
        if (matches) {
          visible.add(key);
          return ((ObjectNode) event).put("type", "ADDED").toString();
        }
        if (was) {
          visible.remove(key);
          return ((ObjectNode) event).put("type", "DELETED").toString();
        }
        return null;
      case "DELETED":
        return visible.remove(key) ? text : null;
      default:
        return text;
    }
  }

  private final class FilteringSocket implements WebSocket {
    private final WebSocket target;

    FilteringSocket(WebSocket target) {
      this.target = target;
    }

    @Override
    public RecordedRequest request() {
      return target.request();
    }

    @Override
    public boolean send(String text) {
      String selected = select(text);
      return selected == null || target.send(selected);
    }

    @Override
    public boolean send(byte[] bytes) {
      return target.send(bytes);
    }

    @Override
    public boolean close(int code, String reason) {
      return target.close(code, reason);
    }
  }
}
