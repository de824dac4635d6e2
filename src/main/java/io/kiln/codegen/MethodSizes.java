package io.kiln.codegen;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bytecode size of each method in a class file. HotSpot does not JIT-compile methods over
 * 8,000 bytes (they run interpreted, tens of times slower), so generated code is measured after
 * compiling rather than guessed from its source length.
 */
final class MethodSizes {
  /** HotSpot's HugeMethodLimit. */
  static final int JIT_LIMIT = 8000;

  private MethodSizes() {}

  static Map<String, Integer> of(byte[] classFile) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
      in.readInt();
      in.readUnsignedShort();
      in.readUnsignedShort();
      int count = in.readUnsignedShort();
      String[] utf8 = new String[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1:
            utf8[i] = in.readUTF();
            break;
          case 7: case 8: case 16: case 19: case 20:
            in.skipBytes(2);
            break;
          case 15:
            in.skipBytes(3);
            break;
          case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
            in.skipBytes(4);
            break;
          case 5: case 6:
            in.skipBytes(8);
            i++;
            break;
          default:
            throw new IOException("unknown constant pool tag " + tag);
        }
      }
      in.skipBytes(6);
      in.skipBytes(2 * in.readUnsignedShort());
      int fields = in.readUnsignedShort();
      for (int f = 0; f < fields; f++) {
        in.skipBytes(6);
        skipAttributes(in);
      }
      Map<String, Integer> sizes = new LinkedHashMap<>();
      int methods = in.readUnsignedShort();
      for (int m = 0; m < methods; m++) {
        in.skipBytes(2);
        String name = utf8[in.readUnsignedShort()];
        in.skipBytes(2);
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
          String attribute = utf8[in.readUnsignedShort()];
          int length = in.readInt();
          if ("Code".equals(attribute)) {
            in.skipBytes(4);
            int code = in.readInt();
            sizes.merge(name, code, Math::max);
            in.skipBytes(length - 8);
          } else {
            in.skipBytes(length);
          }
        }
      }
      return sizes;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read a generated class file", e);
    }
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int attributes = in.readUnsignedShort();
    for (int a = 0; a < attributes; a++) {
      in.skipBytes(2);
      in.skipBytes(in.readInt());
    }
  }
}
