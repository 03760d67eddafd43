/**
 * The demo application: the e-commerce payment system of the design notes, wired as a user would
 * wire Sluice. Nothing here is part of the library.
 */
package dev.sluice.demo;
