package io.parasol.apps.heat;

/** Preset plate materials with their thermal properties at room temperature. */
enum Material {
  ALUMINIUM("aluminium", "Aluminium", 205, 2700, 900),
  COPPER("copper", "Copper", 401, 8960, 385),
  STEEL("steel", "Carbon steel", 50, 7850, 490),
  STAINLESS("stainless", "Stainless steel", 16, 8000, 500),
  CONCRETE("concrete", "Concrete", 1.4, 2300, 880);

  final String id;
  final String label;
  final double conductivity;
  final double density;
  final double specificHeat;

  Material(String id, String label, double conductivity, double density, double specificHeat) {
    this.id = id;
    this.label = label;
    this.conductivity = conductivity;
    this.density = density;
    this.specificHeat = specificHeat;
  }

  static Material byId(String id) {
    for (Material m : values()) {
      if (m.id.equals(id)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown material " + id);
  }
}
