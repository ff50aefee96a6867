package io.pushgate.protocol.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes {@link ServerMessage}s and {@link ClientMessage}s to compact JSON text and decodes them
 * back, field for field as {@code docs/protocol.md} writes them and in the gateway's field order
 * (the vectors in {@code io/pushgate/protocol/vectors/messages.json} pin both). Decoding is lenient
 * where the contract is additive: unknown fields are ignored, an unknown type or op is an
 * {@code Other}. A message that is not a JSON object, or lacks a field its type needs, is a
 * {@link ProtocolException} ({@code INVALID}).
 *
 * <p>This builds a tree: it is for clients, tests and replies, not for the gateway's per-update
 * frames (those are written out by hand, {@code TopicUpdate}).
 */
public final class MessageCodec {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private MessageCodec() {
    }

    // ------------------------------------------------------------------ gateway to client

    public static String encode(ServerMessage message) {
        return Json.write(toJson(message));
    }

    public static ServerMessage decodeServer(String text) {
        return fromJson(object(Json.parse(text)));
    }

    /** The message as a JSON object: {@code type} first, then {@code id} if any, then its fields. */
    public static ObjectNode toJson(ServerMessage message) {
        ObjectNode node = NODES.objectNode();
        if (message instanceof ServerMessage.Other other) {
            node.put(Field.TYPE, other.type());
            other.json().fields().forEachRemaining(e -> {
                if (!e.getKey().equals(Field.TYPE)) {
                    node.set(e.getKey(), e.getValue());
                }
            });
            return node;
        }
        node.put(Field.TYPE, message.type());
        if (message instanceof ServerMessage.Ok m) {
            id(node, m.id());
            m.fields().fields().forEachRemaining(e -> node.set(e.getKey(), e.getValue()));
        } else if (message instanceof ServerMessage.Error m) {
            id(node, m.id());
            node.put(Field.CODE, m.code());
            node.put(Field.MESSAGE, m.message());
            if (m.reason() != null) {
                node.put(Field.REASON, m.reason());
            }
        } else if (message instanceof ServerMessage.Subscription m) {
            node.put(Field.TOPIC, m.topic());
            node.put(Field.TID, m.tid());
            node.set(Field.SPEC, m.spec());
            if (m.selectors() != null) {
                ArrayNode selectors = node.putArray(Field.SELECTORS);
                m.selectors().forEach(selectors::add);
            }
        } else if (message instanceof ServerMessage.Value m) {
            node.put(Field.TID, m.tid());
            node.put(Field.SEQ, m.seq());
            if (m.text() != null) {
                node.put(Field.TEXT, m.text());
            } else {
                node.set(Field.VALUE, m.value());
            }
        } else if (message instanceof ServerMessage.Delta m) {
            node.put(Field.TID, m.tid());
            node.put(Field.SEQ, m.seq());
            if (m.delta() != null) {
                node.put(Field.DELTA, m.delta());
            } else {
                node.set(Field.PATCH, m.patch());
            }
        } else if (message instanceof ServerMessage.Event m) {
            node.put(Field.TID, m.tid());
            node.set(Field.EVENT, m.event());
        } else if (message instanceof ServerMessage.Unsubscribed m) {
            node.put(Field.TID, m.tid());
            if (m.topic() != null) {
                node.put(Field.TOPIC, m.topic());
            }
            node.put(Field.REASON, m.reason());
        } else if (message instanceof ServerMessage.Gap m) {
            node.put(Field.TID, m.tid());
            node.put(Field.TOPIC, m.topic());
            node.put(Field.FROM, m.from());
            node.put(Field.TO, m.to());
            node.put(Field.REASON, m.reason());
        } else if (message instanceof ServerMessage.Pong m) {
            id(node, m.id());
        } else if (message instanceof ServerMessage.FetchReply m) {
            id(node, m.id());
            node.set(Field.RESULTS, m.results());
        } else if (message instanceof ServerMessage.RangeReply m) {
            id(node, m.id());
            node.put(Field.TOPIC, m.topic());
            node.set(Field.EVENTS, m.events());
        }
        return node;
    }

    public static ServerMessage fromJson(ObjectNode node) {
        String type = requiredText(node, Field.TYPE);
        JsonNode id = idOf(node);
        return switch (type) {
            case MessageType.OK -> {
                ObjectNode fields = node.deepCopy();
                fields.remove(Field.TYPE);
                fields.remove(Field.ID);
                yield new ServerMessage.Ok(id, fields);
            }
            case MessageType.ERROR -> new ServerMessage.Error(id, requiredText(node, Field.CODE), optionalText(node, Field.MESSAGE),
                    optionalText(node, Field.REASON));
            case MessageType.SUBSCRIPTION -> new ServerMessage.Subscription(requiredText(node, Field.TOPIC), requiredLong(node, Field.TID),
                    node.get(Field.SPEC), node.has(Field.SELECTORS) ? texts(node.get(Field.SELECTORS)) : null);
            case MessageType.VALUE -> new ServerMessage.Value(requiredLong(node, Field.TID), requiredLong(node, Field.SEQ),
                    node.get(Field.VALUE), optionalText(node, Field.TEXT));
            case MessageType.DELTA -> new ServerMessage.Delta(requiredLong(node, Field.TID), requiredLong(node, Field.SEQ),
                    node.get(Field.PATCH), optionalText(node, Field.DELTA));
            case MessageType.EVENT -> new ServerMessage.Event(requiredLong(node, Field.TID), node.get(Field.EVENT));
            case MessageType.UNSUBSCRIBED -> new ServerMessage.Unsubscribed(requiredLong(node, Field.TID), optionalText(node, Field.TOPIC),
                    optionalText(node, Field.REASON));
            case MessageType.GAP -> new ServerMessage.Gap(requiredLong(node, Field.TID), optionalText(node, Field.TOPIC),
                    requiredLong(node, Field.FROM), requiredLong(node, Field.TO), optionalText(node, Field.REASON));
            case MessageType.PONG -> new ServerMessage.Pong(id);
            case MessageType.FETCH -> new ServerMessage.FetchReply(id, node.get(Field.RESULTS));
            case MessageType.RANGE -> new ServerMessage.RangeReply(id, optionalText(node, Field.TOPIC), node.get(Field.EVENTS));
            default -> new ServerMessage.Other(type, node);
        };
    }

    // ------------------------------------------------------------------ client to gateway

    public static String encode(ClientMessage message) {
        return Json.write(toJson(message));
    }

    public static ClientMessage decodeClient(String text) {
        return fromClientJson(object(Json.parse(text)));
    }

    /** The request as a JSON object: {@code op} first, then {@code id} if any, then its fields (absent ones left out). */
    public static ObjectNode toJson(ClientMessage message) {
        ObjectNode node = NODES.objectNode();
        node.put(Field.OP, message.op());
        id(node, message.id());
        if (message instanceof ClientMessage.Auth m) {
            node.put(Field.TOKEN, m.token());
        } else if (message instanceof ClientMessage.Subscribe m) {
            node.put(Field.SELECTOR, m.selector());
            set(node, Field.SINCE, m.since());
        } else if (message instanceof ClientMessage.Unsubscribe m) {
            node.put(Field.SELECTOR, m.selector());
        } else if (message instanceof ClientMessage.Fetch m) {
            node.put(Field.SELECTOR, m.selector());
            if (m.withValues() != null) {
                node.put(Field.WITH_VALUES, m.withValues());
            }
        } else if (message instanceof ClientMessage.Add m) {
            node.put(Field.TOPIC, m.topic());
            node.set(Field.SPEC, m.spec());
        } else if (message instanceof ClientMessage.Set m) {
            node.put(Field.TOPIC, m.topic());
            node.set(Field.VALUE, m.value());
            set(node, Field.SPEC, m.spec());
            if (m.ifSeq() != null) {
                node.put(Field.IF_SEQ, m.ifSeq());
            }
        } else if (message instanceof ClientMessage.Append m) {
            node.put(Field.TOPIC, m.topic());
            node.set(Field.VALUE, m.value());
        } else if (message instanceof ClientMessage.Edit m) {
            node.put(Field.TOPIC, m.topic());
            node.put(Field.SEQ, m.seq());
            node.set(Field.VALUE, m.value());
        } else if (message instanceof ClientMessage.Range m) {
            node.put(Field.TOPIC, m.topic());
            putLong(node, Field.FROM_LAST, m.fromLast());
            putLong(node, Field.FROM, m.from());
            if (m.fromTime() != null) {
                node.put(Field.FROM_TIME, m.fromTime());
            }
            putLong(node, Field.TO, m.to());
            putLong(node, Field.LIMIT, m.limit());
            if (m.view() != null) {
                node.put(Field.VIEW, m.view());
            }
        } else if (message instanceof ClientMessage.Remove m) {
            node.put(Field.SELECTOR, m.selector());
        } else if (message instanceof ClientMessage.Other m) {
            m.json().fields().forEachRemaining(e -> {
                if (!e.getKey().equals(Field.OP) && !e.getKey().equals(Field.ID)) {
                    node.set(e.getKey(), e.getValue());
                }
            });
        }
        return node;
    }

    public static ClientMessage fromClientJson(ObjectNode node) {
        String op = requiredText(node, Field.OP);
        JsonNode id = idOf(node);
        return switch (op) {
            case Op.AUTH -> new ClientMessage.Auth(id, requiredText(node, Field.TOKEN));
            case Op.SUBSCRIBE -> new ClientMessage.Subscribe(id, requiredText(node, Field.SELECTOR), present(node, Field.SINCE));
            case Op.UNSUBSCRIBE -> new ClientMessage.Unsubscribe(id, requiredText(node, Field.SELECTOR));
            case Op.FETCH -> new ClientMessage.Fetch(id, requiredText(node, Field.SELECTOR),
                    node.hasNonNull(Field.WITH_VALUES) ? node.get(Field.WITH_VALUES).asBoolean() : null);
            case Op.ADD -> new ClientMessage.Add(id, requiredText(node, Field.TOPIC), required(node, Field.SPEC));
            case Op.SET -> new ClientMessage.Set(id, requiredText(node, Field.TOPIC), required(node, Field.VALUE),
                    present(node, Field.SPEC), optionalLong(node, Field.IF_SEQ));
            case Op.APPEND -> new ClientMessage.Append(id, requiredText(node, Field.TOPIC), required(node, Field.VALUE));
            case Op.EDIT -> new ClientMessage.Edit(id, requiredText(node, Field.TOPIC), requiredLong(node, Field.SEQ),
                    required(node, Field.VALUE));
            case Op.RANGE -> new ClientMessage.Range(id, requiredText(node, Field.TOPIC), optionalLong(node, Field.FROM_LAST),
                    optionalLong(node, Field.FROM), optionalText(node, Field.FROM_TIME), optionalLong(node, Field.TO),
                    optionalLong(node, Field.LIMIT), optionalText(node, Field.VIEW));
            case Op.REMOVE -> new ClientMessage.Remove(id, requiredText(node, Field.SELECTOR));
            case Op.PING -> new ClientMessage.Ping(id);
            default -> new ClientMessage.Other(op, id, node);
        };
    }

    // ------------------------------------------------------------------ fields

    private static ObjectNode object(JsonNode node) {
        if (!node.isObject()) {
            throw ProtocolException.invalid("a message is a JSON object");
        }
        return (ObjectNode) node;
    }

    private static void id(ObjectNode node, JsonNode id) {
        if (id != null && !id.isNull() && !id.isMissingNode()) {
            node.set(Field.ID, id);
        }
    }

    private static JsonNode idOf(ObjectNode node) {
        JsonNode id = node.get(Field.ID);
        return id == null || id.isNull() ? null : id;
    }

    private static void set(ObjectNode node, String field, JsonNode value) {
        if (value != null) {
            node.set(field, value);
        }
    }

    private static void putLong(ObjectNode node, String field, Long value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static JsonNode present(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    private static JsonNode required(ObjectNode node, String field) {
        return RequestFields.required(node, field);
    }

    private static String requiredText(ObjectNode node, String field) {
        return RequestFields.text(node, field);
    }

    private static String optionalText(ObjectNode node, String field) {
        return RequestFields.optionalText(node, field);
    }

    private static long requiredLong(ObjectNode node, String field) {
        return RequestFields.longField(node, field, true);
    }

    private static Long optionalLong(ObjectNode node, String field) {
        return RequestFields.longField(node, field, false);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }
}
