package p;
/** ok */
public interface Quirks {
  private void pv() {}
  default void d() {}
  static void s() {}
  class N { public void nn() {} }
  enum En { A { public void body() {} }; public void em() {} }
  /** doc */

  // note
  void sep();
  /**/
  void empty();
  /* plain */
  void plain();
  /** same */ void same();
  @java.lang.Override void ovr();
  @Override
  /** after ann */
  void afterAnn();
  default void local() { class L { public void lm() {} } }
  @interface A2 { int v() default 1; }
}
