package io.kiln.physical.plan;

import io.kiln.physical.plan.proto.PlanProtos;
import io.kiln.types.DataType;

/** {@link DataType} to and from the plan format. */
final class TypeCodec {
  private TypeCodec() {}

  static PlanProtos.DataType toProto(DataType type) {
    PlanProtos.DataType.Builder b = PlanProtos.DataType.newBuilder()
        .setId(EnumNames.toProto(type.id(), PlanProtos.TypeId.class, "TYPE_ID_"));
    if (type.id() == DataType.Id.DECIMAL) {
      b.setPrecision(type.precision()).setScale(type.scale());
    }
    return b.build();
  }

  static DataType fromProto(PlanProtos.DataType type) {
    DataType.Id id = EnumNames.fromProto(type.getId(), type.getIdValue(), DataType.Id.class, "TYPE_ID_", "type");
    // No default: a type added to DataType.Id does not compile until it is mapped here.
    return switch (id) {
      case NULL -> DataType.NULL;
      case BOOLEAN -> DataType.BOOLEAN;
      case TINYINT -> DataType.TINYINT;
      case SMALLINT -> DataType.SMALLINT;
      case INTEGER -> DataType.INTEGER;
      case BIGINT -> DataType.BIGINT;
      case REAL -> DataType.REAL;
      case DOUBLE -> DataType.DOUBLE;
      case DECIMAL -> DataType.decimal(type.getPrecision(), type.getScale());
      case DATE -> DataType.DATE;
      case TIMESTAMP -> DataType.TIMESTAMP;
      case VARCHAR -> DataType.VARCHAR;
      case INTERVAL -> DataType.INTERVAL;
    };
  }
}
