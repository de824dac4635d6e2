package io.kiln.logical;

/**
 * How a join combines its inputs. SEMI/ANTI keep left rows with/without a match; MARK keeps every
 * left row and adds a boolean column (TRUE match, FALSE none, NULL unknown under NOT IN's null
 * rules); SINGLE is a left join that fails if a row finds more than one match (scalar subqueries).
 */
public enum JoinType {
  INNER, LEFT, RIGHT, FULL, SEMI, ANTI, MARK, SINGLE;

  public boolean keepsOnlyLeft() {
    return this == SEMI || this == ANTI;
  }
}
