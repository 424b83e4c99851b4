/** Charts as images: XChart charts to PNG or SVG bytes and files, headless. */
package dev.nnlab.plot;
