package dev.fairshare.registry.service;

import dev.fairshare.registry.domain.Agreement;
import dev.fairshare.registry.domain.Maker;
import dev.fairshare.registry.domain.Model;
import dev.fairshare.registry.domain.Platform;
import java.math.BigDecimal;
import java.time.Instant;

/** Entity to view: the shape of the API answers and of the registry topics. */
public final class Views {
    private Views() {}

    public static String decimal(BigDecimal d) {
        if (d == null) {
            return null;
        }
        BigDecimal s = d.stripTrailingZeros();
        return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
    }

    static String instant(Instant i) {
        return i == null ? null : i.toString();
    }

    public static Dto.MakerView of(Maker m) {
        return new Dto.MakerView(m.id, m.name, instant(m.createdAt));
    }

    public static Dto.PlatformView of(Platform p) {
        return new Dto.PlatformView(p.id, p.name, instant(p.createdAt));
    }

    public static Dto.ModelView of(Model m) {
        return new Dto.ModelView(
                m.id,
                m.makerId,
                m.name,
                new Dto.License(m.licenseId, m.commercialUse),
                m.parents.stream()
                        .map(p -> new Dto.ParentRef(p.parentId, decimal(p.royaltyShare)))
                        .toList(),
                m.aliases.stream()
                        .map(a -> new Dto.AliasView(a.ref, a.platformId, instant(a.validFrom)))
                        .toList(),
                instant(m.createdAt));
    }

    public static Dto.AgreementView of(Agreement a) {
        Dto.Terms terms =
                "REVENUE_SHARE".equals(a.termsType)
                        ? new Dto.Terms(a.termsType, decimal(a.rate), null, null, null)
                        : AgreementService.POOL_SHARE.equals(a.termsType)
                                ? new Dto.Terms(a.termsType, null, null, null, null)
                                : new Dto.Terms(
                                        a.termsType,
                                        null,
                                        a.metric,
                                        decimal(a.unitSize),
                                        a.tiers.stream()
                                                .map(
                                                        t ->
                                                                new Dto.TierDto(
                                                                        decimal(t.upTo),
                                                                        decimal(t.price)))
                                                .toList());
        return new Dto.AgreementView(
                new Dto.AgreementRequest(
                        a.id,
                        a.makerId,
                        a.platformId,
                        a.modelId,
                        a.currency,
                        instant(a.validFrom),
                        instant(a.validTo),
                        terms,
                        decimal(a.minimumGuarantee)),
                instant(a.createdAt));
    }
}
