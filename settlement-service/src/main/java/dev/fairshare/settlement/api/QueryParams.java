package dev.fairshare.settlement.api;

import dev.fairshare.settlement.problem.FieldError;
import dev.fairshare.settlement.problem.ProblemException;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.List;
import java.util.function.Function;

/**
 * Reads the typed query parameters (numbers, booleans): a malformed value is a {@code 400} problem
 * naming the parameter ({@code INVALID_VALUE}), where JAX-RS would answer {@code 404}.
 */
@Provider
public class QueryParams implements ParamConverterProvider {
    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(
            Class<T> rawType, Type genericType, Annotation[] annotations) {
        String name = null;
        for (Annotation a : annotations) {
            if (a instanceof QueryParam q) {
                name = q.value();
            }
        }
        if (name == null) {
            return null;
        }
        if (rawType == int.class || rawType == Integer.class) {
            return (ParamConverter<T>) converter(name, "an integer", Integer::valueOf);
        }
        if (rawType == long.class || rawType == Long.class) {
            return (ParamConverter<T>) converter(name, "an integer", Long::valueOf);
        }
        if (rawType == boolean.class || rawType == Boolean.class) {
            return (ParamConverter<T>) converter(name, "true or false", QueryParams::bool);
        }
        return null;
    }

    static Boolean bool(String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(value);
        };
    }

    static <T> ParamConverter<T> converter(String name, String expected, Function<String, T> read) {
        return new ParamConverter<>() {
            @Override
            public T fromString(String value) {
                if (value == null) {
                    return null;
                }
                try {
                    return read.apply(value.strip());
                } catch (IllegalArgumentException e) {
                    throw invalid(name, "query parameter '" + name + "' must be " + expected);
                }
            }

            @Override
            public String toString(T value) {
                return String.valueOf(value);
            }
        };
    }

    /** A {@code 400} naming the query parameter {@code name}. */
    public static ProblemException invalid(String name, String message) {
        return new ProblemException(
                400,
                "INVALID_VALUE",
                message,
                List.of(new FieldError(name, "INVALID_VALUE", message)));
    }
}
