/**
 * The servlet entry point: {@link dev.sluice.servlet.SluiceFilter}, declared in {@code web.xml},
 * enforces the path policies of a Sluice configuration file, and
 * {@link dev.sluice.servlet.SluiceServletContext} shares one engine per web application. Only
 * adapters live here; the decisions are the engine's ({@code dev.sluice.core}).
 */
package dev.sluice.servlet;
