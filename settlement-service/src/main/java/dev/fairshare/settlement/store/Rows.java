package dev.fairshare.settlement.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The stores' one way to read what a prepared query answers, row by row. */
final class Rows {
    private Rows() {}

    /** What one row of a result set is read into. */
    @FunctionalInterface
    interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Every row {@code ps} answers, read by {@code reader}, in the query's order. */
    static <T> List<T> list(PreparedStatement ps, Reader<T> reader) throws SQLException {
        List<T> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(reader.read(rs));
            }
        }
        return out;
    }

    /** The first row {@code ps} answers, read by {@code reader}; empty when there is none. */
    static <T> Optional<T> first(PreparedStatement ps, Reader<T> reader) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(reader.read(rs)) : Optional.empty();
        }
    }
}
