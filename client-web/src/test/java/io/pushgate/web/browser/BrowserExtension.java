package io.pushgate.web.browser;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands the browser tests the running {@link PushgateSystem} and a {@link Chromium}, each made
 * once for the whole run (kept in the root store, which closes them at its end).
 */
public final class BrowserExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == PushgateSystem.class || type == Chromium.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(BrowserExtension.class));
        if (parameter.getParameter().getType() == PushgateSystem.class) {
            return store.computeIfAbsent(PushgateSystem.class, k -> PushgateSystem.start(), PushgateSystem.class);
        }
        return store.computeIfAbsent(Chromium.class, k -> Chromium.launch(), Chromium.class);
    }
}
